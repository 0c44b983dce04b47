#!/usr/bin/env node
// A committed stub, so package managers can link the bin before dist exists.
import "../dist/events.js";
