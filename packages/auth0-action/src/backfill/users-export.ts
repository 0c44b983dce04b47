import { setTimeout as sleep } from "node:timers/promises";
import { Auth0ApiError, type ManagementApi } from "./management-api.js";
import { readNdjson } from "./ndjson.js";
import { type Auth0User, USER_FIELDS } from "./users.js";
import type { Call } from "./users-search.js";

interface ExportJob {
  id: string;
  status: string;
  location?: string;
  percentage_done?: number;
}

export interface ExportOptions {
  /** Between job polls, default 2 000 ms. */
  pollIntervalMs?: number;
  /** Give up when the job is not done after this long, default 2 hours. */
  maxJobWaitMs?: number;
  onNote?: (line: string) => void;
}

/**
 * Every user through a users-export job (no 1,000 cap): create the job (JSON, i.e. NDJSON,
 * with the fields the backfill needs; `app_metadata` whole), poll it until `completed`, then
 * stream the file from its pre-signed `location`.
 */
export async function* exportUsers(
  api: ManagementApi,
  call: Call,
  options: ExportOptions = {},
): AsyncGenerator<Auth0User> {
  const { pollIntervalMs = 2000, maxJobWaitMs = 2 * 3600_000, onNote = () => {} } = options;
  let job = await call(() =>
    api.request<ExportJob>("POST", "/api/v2/jobs/users-exports", {
      body: { format: "json", fields: USER_FIELDS.map((name) => ({ name })) },
    }),
  );
  if (typeof job?.id !== "string") {
    throw new Auth0ApiError(200, "POST /api/v2/jobs/users-exports", "the answer has no job id");
  }
  const id = job.id;
  onNote(`export job ${id} created`);
  const deadline = Date.now() + maxJobWaitMs;
  let lastNote = "";
  while (job.status !== "completed") {
    if (job.status === "failed" || job.status === "cancelled") {
      throw new Auth0ApiError(200, `GET /api/v2/jobs/${id}`, `export job ${job.status}`);
    }
    if (Date.now() > deadline) {
      throw new Auth0ApiError(200, `GET /api/v2/jobs/${id}`, "export job not done in time");
    }
    const note = `export job ${id}: ${job.status}${typeof job.percentage_done === "number" ? ` ${job.percentage_done}%` : ""}`;
    if (note !== lastNote) onNote(note);
    lastNote = note;
    await sleep(pollIntervalMs);
    job = await call(() => api.request<ExportJob>("GET", `/api/v2/jobs/${encodeURIComponent(id)}`));
  }
  if (typeof job.location !== "string") {
    throw new Auth0ApiError(200, `GET /api/v2/jobs/${id}`, "completed job has no location");
  }
  const response = await call(() => api.download(job.location as string));
  if (!response.body) return;
  for await (const record of readNdjson(response.body)) yield record as Auth0User;
}
