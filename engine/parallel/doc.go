// Package parallel fans independent decisions out over every CPU (who-can,
// effective permissions, audits), turning a worker's panic into an
// internal fault instead of a crash.
package parallel
