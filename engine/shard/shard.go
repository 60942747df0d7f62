// Package shard splits an organization's audit by account and joins it
// again: a shard audits the accounts whose id hashes to it (Of) and
// writes a partial result (its findings, its principals, the trust names
// of its roles and the AssumeRole hops its principals may take, decided
// by the engine); Merge joins the partials and runs the search for reach
// into administrator roles over the joined hops, as engine/audit does on
// one machine. docs/partial-format.md describes the files.
//
// A shard decides a hop into a role of another shard from that role's
// trust policy, which a first, cheap pass over every shard lists
// (Trusts): the hops are decided by the engine, never summarized.
package shard

import (
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"

	"github.com/clearance-dev/clearance/engine/fault"
)

// Of returns the shard, from 0 to n-1, of an account: the 32-bit FNV-1a
// hash of its 12-digit id (as written, no padding changed) modulo n.
func Of(account string, n int) int {
	h := fnv.New32a()
	h.Write([]byte(account))
	return int(h.Sum32() % uint32(n))
}

// Spec is one shard of N.
type Spec struct {
	Index, Count int
}

// MaxShards bounds N: more shards than this are a typo.
const MaxShards = 1 << 16

// ParseSpec reads "I/N" (0 <= I < N).
func ParseSpec(s string) (Spec, error) {
	i, n, ok := strings.Cut(s, "/")
	if !ok {
		return Spec{}, fault.Errorf(fault.CodeBadRequest, "shard %q: expected I/N, e.g. 0/4", s)
	}
	idx, err1 := strconv.Atoi(i)
	cnt, err2 := strconv.Atoi(n)
	if err1 != nil || err2 != nil || cnt < 1 || cnt > MaxShards || idx < 0 || idx >= cnt {
		return Spec{}, fault.Errorf(fault.CodeBadRequest, "shard %q: expected I/N with 0 <= I < N <= %d", s, MaxShards)
	}
	return Spec{Index: idx, Count: cnt}, nil
}

// Owns reports whether the account belongs to the shard.
func (s Spec) Owns(account string) bool { return Of(account, s.Count) == s.Index }

func (s Spec) String() string { return fmt.Sprintf("%d/%d", s.Index, s.Count) }
