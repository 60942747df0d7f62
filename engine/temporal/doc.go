// Package temporal runs a sharded audit (engine/shard) on Temporal: a
// workflow (Audit) fans out child workflows (Batch), each running the
// activities of a batch of shards, in two passes (every shard's trusts,
// then every shard's audit), then merges. Files go to a store
// (engine/shard/storage), never through the workflow's history: an
// activity's result is the name it wrote, deterministic, so a retried
// activity finds its file and returns. It is the only package that
// imports go.temporal.io (arch_test.go).
package temporal
