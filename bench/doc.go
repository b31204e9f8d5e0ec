// Package bench holds benchmarks that compare icsdissect with other Go
// decoders of the same protocols on the same bytes, in the same run.
//
// It is a separate module so that users of icsdissect never inherit the
// libraries it measures against. Run it from this folder:
//
//	go test -run '^$' -bench . -benchmem
//
// BenchmarkPipeline measures whole captures: a mixed capture of about a
// million packets of the five protocols, built from ../../shared/captures
// when the benchmark starts (it skips without them), decoded by pcapx alone,
// by pcapx with every protocol's fields read, by gopacket's
// DecodingLayerParser (L2-L4, and with package gopacketx's ICS layers) and
// by gopacket.NewPacket with gopacket's own ICS layers. ../scripts/instructions.sh
// counts its instructions per packet with valgrind's callgrind.
package bench
