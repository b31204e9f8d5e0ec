// Package bench holds benchmarks that compare icsdissect with other Go
// decoders of the same protocols on the same bytes, in the same run.
//
// It is a separate module so that users of icsdissect never inherit the
// libraries it measures against. Run it from this folder:
//
//	go test -run '^$' -bench . -benchmem
package bench
