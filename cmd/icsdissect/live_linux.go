package main

import "github.com/icsdissect/icsdissect/pcapx"

// readLiveFilter captures from an interface (see pcapx.ReadLiveFilter).
func readLiveFilter(name, expr string, cfg pcapx.Config, stop <-chan struct{}) (pcapx.Stats, error) {
	return pcapx.ReadLiveFilter(name, expr, cfg, stop)
}
