//go:build !race

package fuzz

// raceEnabled: the race detector allocates, so allocation checks are off.
const raceEnabled = false
