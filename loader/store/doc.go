// Package store holds a World in go-memdb tables (the only package that
// imports go-memdb): entities, attachments, the organization tree, and
// every policy statement indexed by policy and by service, so the engine
// fetches only the statements that can concern a request's action. A Store
// is loaded, then read through immutable Snapshots; each load is a new
// generation.
package store
