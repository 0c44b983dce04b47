// Shared names and canned bodies. The bodies are typed with the client's spec-derived
// models, so a spec change that makes them wrong fails typecheck.
import type { Consumer } from "@keysmith/client";

export const ACCOUNT = "bench-account";
export const BUCKET = "bench-bucket";
/** Not a real key; the fake and the stub accept anything. */
export const API_KEY = "zpka_bench_not_a_real_key";

/** The path openapi-fetch is called with (checked against the generated `paths`). */
export const CONSUMERS_PATH = "/v1/accounts/{accountName}/key-buckets/{bucketName}/consumers";
export const consumersUrl = (baseUrl: string) =>
  `${baseUrl}/v1/accounts/${ACCOUNT}/key-buckets/${BUCKET}/consumers`;

/** The GET every client makes: listConsumers with limit and offset. */
export const LIST_QUERY = { limit: 20, offset: 40 } as const;

/** The POST body every client sends: createConsumer. */
export const CREATE_BODY = {
  name: "bench-consumer",
  description: "Consumer made by the benchmark",
  tags: { team: "bench" },
  metadata: { plan: "free" },
};

function consumer(n: number): Consumer {
  return {
    id: `csmr_${String(n).padStart(24, "0")}`,
    name: `consumer-${n}`,
    description: null,
    tags: { team: "bench" },
    createdOn: "2024-05-01T12:00:00.000Z",
    updatedOn: "2024-05-01T12:00:00.000Z",
  };
}

/** A listConsumers page of three consumers. */
export const LIST_RESPONSE = JSON.stringify({
  data: [1, 2, 3].map(consumer),
  limit: LIST_QUERY.limit,
  offset: LIST_QUERY.offset,
  total: 43,
});
/** A createConsumer answer. */
export const CREATE_RESPONSE = JSON.stringify({ ...consumer(4), ...CREATE_BODY });
