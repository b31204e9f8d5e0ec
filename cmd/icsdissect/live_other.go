//go:build !linux

package main

import (
	"errors"

	"github.com/icsdissect/icsdissect/pcapx"
)

func readLiveFilter(name, expr string, cfg pcapx.Config, stop <-chan struct{}) (pcapx.Stats, error) {
	return pcapx.Stats{}, errors.New("live capture is supported on Linux only")
}
