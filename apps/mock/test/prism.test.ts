import { execFileSync, spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PrismServer, startPrism } from "../src/prism.js";
import { alive, gone } from "./processes.js";

function prismChildren(): string[] {
  try {
    const out = execFileSync("ps", ["-o", "pid=,args=", "--ppid", String(process.pid)], {
      encoding: "utf8",
    });
    return out.split("\n").filter((l) => l.includes("prism-cli"));
  } catch {
    return []; // ps exits 1 when there are no children
  }
}

describe("startPrism (mock)", () => {
  let prism: PrismServer;
  beforeAll(async () => {
    prism = await startPrism();
  });
  afterAll(async () => {
    await prism?.stop();
  });

  it("serves the spec's examples on the port the OS chose", async () => {
    expect(prism.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(prism.url).not.toMatch(/:4010$/);
    const res = await fetch(`${prism.url}/v1/who-am-i`, {
      headers: { authorization: "Bearer zpka_anything" },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ sub: "zpka_user_acme-corp", account: "acme-corp" });
  });

  it("honours Prefer and checks the bearer", async () => {
    const res = await fetch(`${prism.url}/v1/accounts/acme-corp/key-buckets/acme-prod/consumers`, {
      method: "POST",
      headers: {
        authorization: "Bearer zpka_anything",
        "content-type": "application/json",
        prefer: "code=409",
      },
      body: JSON.stringify({ name: "ada-lovelace" }),
    });
    expect(res.status).toBe(409);
    expect(res.headers.get("content-type")).toMatch(/application\/problem\+json/);
    expect((await fetch(`${prism.url}/v1/who-am-i`)).status).toBe(401);
  });

  it("stop() ends the process and frees the port; stopping twice is fine", async () => {
    const { pid, url } = prism;
    await prism.stop();
    expect(alive(pid)).toBe(false);
    await expect(fetch(`${url}/v1/who-am-i`)).rejects.toThrow();
    await prism.stop();
  });
});

describe("startPrism failures and clean-up", () => {
  it("rejects a proxy without upstream before spawning anything", async () => {
    await expect(startPrism({ mode: "proxy" })).rejects.toThrow(/"upstream" is required/);
  });

  it("rejects with Prism's output when it exits early", async () => {
    await expect(startPrism({ spec: "/nonexistent/openapi.yaml" })).rejects.toThrow(
      /exited early[\s\S]*nonexistent/,
    );
  });

  it("rejects and kills Prism when it is not ready in time", async () => {
    await expect(startPrism({ readyTimeoutMs: 100 })).rejects.toThrow(/not ready after 100 ms/);
    expect(prismChildren()).toEqual([]);
  });

  it("Prism exits when the process that started it is killed", async () => {
    // A separate node process starts Prism, prints its pid, and is then SIGKILLed.
    const script = `
      const { startPrism } = await import(${JSON.stringify(new URL("../src/prism.ts", import.meta.url).href)});
      const p = await startPrism();
      console.log(JSON.stringify({ pid: p.pid }));
      setInterval(() => {}, 1000);
    `;
    const parent = spawn(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "-e", script],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    const pid = await new Promise<number>((resolve, reject) => {
      let out = "";
      parent.stdout.on("data", (c) => {
        out += c;
        const m = /\{"pid":(\d+)\}/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      parent.once("exit", () => reject(new Error(`parent exited early: ${out}`)));
      setTimeout(() => {
        parent.kill("SIGKILL");
        reject(new Error("the child did not start Prism in 40 s"));
      }, 40_000).unref();
    });
    expect(alive(pid)).toBe(true);
    parent.kill("SIGKILL");
    expect(await gone(pid, 5000)).toBe(true);
  }, 45_000); // the child starts Prism: as slow as a hook on a busy machine
});
