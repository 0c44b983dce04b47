// Reading every user through a users-export job: create, poll, download to a file, stream it.
import { createReadStream, createWriteStream, rmSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { Auth0ApiError, type ManagementApi } from "./management-api.js";
import { readNdjson } from "./ndjson.js";
import { type Auth0User, USER_FIELDS } from "./users.js";

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
  /** Downloads tried (each with a fresh location from the job), default 3. */
  downloadAttempts?: number;
  onNote?: (line: string) => void;
  signal?: AbortSignal | undefined;
}

/**
 * Every user through a users-export job (no 1,000 cap): create the job (JSON, i.e. NDJSON,
 * with the fields the sync needs; `app_metadata` whole), poll it until `completed`, then
 * download the file to a temporary file before reading it: the pre-signed `location` is
 * valid for 60 s only, far less than processing a large tenant takes. A failed download
 * reads the job again for a fresh location. The file is removed when the listing ends.
 */
export async function* exportUsers(
  api: ManagementApi,
  options: ExportOptions = {},
): AsyncGenerator<Auth0User> {
  const {
    pollIntervalMs = 2000,
    maxJobWaitMs = 2 * 3600_000,
    downloadAttempts = 3,
    onNote = () => {},
    signal,
  } = options;
  const sleepOptions = signal ? { signal } : {};
  const jobPath = (id: string) => `/api/v2/jobs/${encodeURIComponent(id)}`;
  let job = await api.request<ExportJob>("POST", "/api/v2/jobs/users-exports", {
    body: { format: "json", fields: USER_FIELDS.map((name) => ({ name })) },
    signal,
  });
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
    await sleep(pollIntervalMs, undefined, sleepOptions);
    job = await api.request<ExportJob>("GET", jobPath(id), { signal });
  }

  const dir = await mkdtemp(join(tmpdir(), "keysmith-export-"));
  const file = join(dir, "users.ndjson");
  // The bin may exit without ending the listing (a second Ctrl-C): remove the file then too.
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  process.once("exit", cleanup);
  try {
    for (let attempt = 1; ; attempt++) {
      if (typeof job.location !== "string") {
        throw new Auth0ApiError(200, `GET /api/v2/jobs/${id}`, "completed job has no location");
      }
      try {
        const response = await api.download(job.location, signal);
        if (!response.body)
          throw new Auth0ApiError(response.status, "GET <export location>", "no body");
        await pipeline(
          Readable.fromWeb(response.body as import("node:stream/web").ReadableStream<Uint8Array>),
          createWriteStream(file),
          sleepOptions,
        );
        break;
      } catch (error) {
        if (signal?.aborted || attempt >= downloadAttempts) throw error;
        const why = error instanceof Auth0ApiError ? error.message : "the connection broke";
        onNote(`export download failed (${why}); asking the job for a fresh link`);
        job = await api.request<ExportJob>("GET", jobPath(id), { signal });
      }
    }
    for await (const record of readNdjson(createReadStream(file))) yield record as Auth0User;
  } finally {
    process.removeListener("exit", cleanup);
    cleanup();
  }
}
