package main

import (
	"strings"
	"testing"
)

// --evaluator plan answers as topdown does on every command that takes
// it; another name is a usage error (exit 2).
func TestEvaluatorFlag(t *testing.T) {
	const world = "../../corpus/example/company.yaml"
	for _, args := range [][]string{
		{"who-can", "--world", world, "s3:GetObject", "arn:aws:s3:::productionapp/x"},
		{"can", "--world", world, "arn:aws:iam::444455556666:user/ci"},
		{"audit", world, "--time", "2026-06-01T00:00:00Z"}, // a fixed time: the replays name it
	} {
		codeT, outT, errT := runCLI(append(args, "--evaluator", "topdown")...)
		codeP, outP, errP := runCLI(append(args, "--evaluator", "plan")...)
		if codeT != codeP || outT != outP || errT != errP {
			t.Errorf("%v: topdown exit %d, plan exit %d\n%s%s\n---\n%s%s", args, codeT, codeP, outT, errT, outP, errP)
		}
		if outT == "" {
			t.Errorf("%v: no output", args)
		}
		code, _, stderr := runCLI(append(args, "--evaluator", "wasm")...)
		if code != 2 || !strings.Contains(stderr, `--evaluator "wasm"`) {
			t.Errorf("%v --evaluator wasm: exit %d, %s", args, code, stderr)
		}
	}
}
