#!/bin/sh
# Runs a command and shows its output only when it fails: for tools whose success is all banner.
out=$("$@" 2>&1) || { status=$?; printf '%s\n' "$out"; exit "$status"; }
