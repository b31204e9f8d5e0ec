// Package fuzz holds the fuzz targets that cross package boundaries and the
// invariant checks they share: a raw frame through pcapx, internal/dissect
// and every protocol's Conn; arbitrary bytes as a TCP conversation on a
// protocol's port; one PDU through its whole package; and real PDU streams
// damaged by an adversary, checked against the clean stream. The checkers
// are exported for any test to use. Nothing here is fast or
// allocation-free: it is test tooling, built on reflection.
//
// # Checkers
//
// Each returns nil or a *Failure naming the invariant broken:
//
//   - Inside: a view lies inside its input.
//   - Walk (and Transcript): every accessor of a decoded value, called as a
//     user would, by reflection: views inside the input or their owner,
//     cursors that make progress and walk the count they announce (or say
//     why not), fixed-stride repeats whose Len, At and All agree.
//   - Count: a cursor walked as many items as the PDU declares.
//   - SplitProgress: a Split or Resync over any input advances or asks for
//     more, never beyond the data, with tokens inside it, and consumes
//     everything at EOF.
//   - FrameCounts: pcapx counted every frame exactly once.
//   - ConnBound and ConnChecker: a Conn's pending table stays within
//     MaxPending, its counters never go down, its Messages pass Walk and
//     stay unchanged until its next call (Stable, Fingerprint), a Clone
//     outlives that call, and Flush empties the table.
//
// # Paths
//
// A Runner runs one input through a whole path and returns the first
// invariant broken: Runner.Packets (raw link-layer frames through pcapx,
// internal/dissect with its OnFlow, each PDU's package and each flow's Conn,
// with pcapx's own promises: non-empty PDUs with a slot, flow events in
// order, every frame counted), Runner.Conversation (a Conversation's records
// as TCP segments of both directions, sizes from the input; with no gap,
// every stream byte is delivered or counted as skipped), Runner.PDU (Parse
// with the grammar's rules on n and ErrTruncated, Decode over a used Frame
// giving Parse's result, Explain agreeing with Parse, Walk, the declared
// counts of each protocol, Split and Resync, a fresh Conn given the PDU both
// ways) and Runner.Adversarial. Packets, Stream and PDU are the same with a
// new Runner. Panics are not recovered: the fuzzing engine reports them with
// their stack.
//
// # The adversarial target
//
// FuzzAdversarial takes a real conversation (one of the stream seeds,
// LoadStreams) and damages one direction as a Damage says: segments cut,
// joined, reordered, duplicated or dropped, an overlapping retransmission
// with other bytes, a bogus header inserted into the stream, a SYN or RST
// with chosen sequence numbers in either direction; pcapx's out-of-order
// buffering is chosen too. The packets go through the whole path, and what
// pcapx delivers is compared with the clean conversation through a model of
// pcapx's documented stream assembly (see Runner.Adversarial): the PDUs the
// damage did not touch must be delivered intact, and no token that is not a
// real PDU may decode as valid.
//
// The environment variable ICSDISSECT_FUZZ_STRICT (StrictEnv, Checks)
// chooses further checks: "resync" (PDUs after a gap survive and no phantom
// is delivered after one: pcapx framing with each protocol's Resync after a
// gap), "spoof" (a SYN or RST that RFC 5961 would not accept changes
// nothing: pcapx's hardening against spoofed segments), "inject" (PDUs
// after bytes an attacker inserted survive and no phantom starts in real
// bytes after them: pcapx re-checks the framing of a PDU in progress with
// Resync after a differing overlap, since the copy that came first, which
// wins, may be an attacker's), "all" or "none". Unset, all three run. The checks of PDUs
// before the damage, of reassembly as documented and of everything the
// other paths check always run.
//
// Failures that are reported and being fixed can be waived while fuzzing
// looks for others: ICSDISSECT_FUZZ_WAIVE (WaiveEnv) lists texts, separated
// by ";", that a failure's message contains.
//
// # Seeds
//
// The seeds under testdata/fuzz/<Target>/ are written by
//
//	go run ./fuzz/internal/seedgen
//
// from the capture corpus (../shared/captures). Every PDU of every capture
// is considered and one is kept per shape: protocol, direction, the bytes
// the protocol dispatches on (function codes, sub-functions, commands, CIP
// service and class, object group, variation and qualifier, type id and
// cause; the command's doc lists them per protocol), whether it decodes,
// and the class of its length (its bit length). That keeps about 2,500 PDU
// seeds out of 125,000 PDUs. FuzzPacket seeds are the frames whose PDUs
// have a new shape (without the length class) with the two frames before
// them, at most 80 per protocol; FuzzStream seeds are the first 4 KiB of
// TCP conversations whose first PDUs have new shapes, at most 40 per
// protocol, of which the 12 with the most PDUs (conv-<proto>-NN) are the
// streams FuzzAdversarial damages; FuzzAdversarial seeds apply each damage
// operation to them. seedgen -check also runs every PDU and conversation of
// the corpus through the checks. Files not named seed-* or conv-* are
// regressions and are kept.
//
// go test ./fuzz/ runs every seed as a unit test; without ../shared the
// committed seeds still run. Under the race detector, Walk, Transcript and
// Fingerprint do nothing and the allocation check is off: reflection runs
// ten times slower there, and these checks of one goroutine find no races. To fuzz, run a target with go test -fuzz, or
// every target of the repository with scripts/fuzz-all.sh.
//
// # Input formats
//
// FuzzModbusPDU, FuzzS7commPDU, FuzzENIPPDU, FuzzDNP3PDU and FuzzIEC104PDU
// take a direction and a PDU. FuzzPacket takes a link type selector and
// frames (ParsePackets). FuzzStream takes a Conversation in its binary form
// (ParseConversation). FuzzAdversarial takes a stream selector byte and a
// Damage in its binary form (ParseDamage).
package fuzz
