package iec104

// Default window parameters of IEC 60870-5-104 (5.5).
const (
	DefaultK = 12 // most I-frames a sender has outstanding
	DefaultW = 8  // most I-frames a receiver takes before acknowledging
)

const seqMod = 1 << 15

// dtState is the data transfer state of a connection.
type dtState uint8

const (
	dtUnknown  dtState = iota // capture began mid-connection
	dtStopped                 // connection start seen, or STOPDT con
	dtStarting                // STARTDT act seen, no con yet
	dtStarted                 // STARTDT con seen, or I-frames flowing
	dtStopping                // STOPDT act seen, no con yet
)

type trackSide struct {
	next    uint16 // next expected N(S) from this side
	acked   uint16 // this side's frames acknowledged by the peer, up to acked-1
	seen    bool   // next is known
	ackSeen bool   // acked is known
	testAct bool   // TESTFR act sent, awaiting con
}

// Tracker follows the sequence numbers and the data transfer state of one
// IEC 104 connection, which the passive decoders of today do not check. It is
// a small value the caller keeps per connection (per TCP flow) and feeds
// every frame of both directions in order. The zero value is ready and
// assumes the capture may begin mid-connection; call [Tracker.Start] when the
// connection's start is seen, so that I-frames before STARTDT are reported.
//
// It reports N(S) gaps and duplicates, N(R) that acknowledges frames never
// sent or goes backwards, more than k outstanding I-frames, acknowledgements
// covering more than w I-frames, I-frames while data transfer is stopped, and
// confirmations without activation. Nothing in it allocates.
type Tracker struct {
	// K and W are the window parameters; 0 means DefaultK and DefaultW.
	K, W uint16

	side  [2]trackSide
	state dtState
}

// Start tells t that the connection has just been opened: data transfer is
// stopped until STARTDT is confirmed, and sequence numbers start at 0.
func (t *Tracker) Start() {
	k, w := t.K, t.W
	*t = Tracker{K: k, W: w, state: dtStopped}
	t.side[0] = trackSide{seen: true, ackSeen: true}
	t.side[1] = trackSide{seen: true, ackSeen: true}
}

// Resync forgets the sequence numbers, keeping the data transfer state; call
// it when bytes of the stream were lost.
func (t *Tracker) Resync() {
	t.side[0] = trackSide{}
	t.side[1] = trackSide{}
}

func seqDiff(a, b uint16) uint16 { return (a - b) & (seqMod - 1) }

// Observe checks frame f, sent toward the server (the controlled station,
// port 2404) when toServer is true, and updates t. It does not allocate. It returns the sequence
// anomalies found; f is not changed. Frames that failed to parse before the
// control field (ErrLength, ErrStart) should not be given.
func (t *Tracker) Observe(f *Frame, toServer bool) Anomaly {
	s := 1
	if toServer {
		s = 0
	}
	var a Anomaly
	switch f.Format {
	case FormatI:
		switch t.state {
		case dtStopped, dtStarting:
			a |= AnomalyIBeforeStartDT
		case dtUnknown:
			t.state = dtStarted
		}
		me := &t.side[s]
		ns := f.SendSeq & (seqMod - 1)
		if me.seen {
			if d := seqDiff(ns, me.next); d != 0 {
				if d < seqMod/2 {
					a |= AnomalySeqGap
				} else {
					a |= AnomalySeqDuplicate
				}
			}
		}
		if !me.ackSeen {
			me.acked = ns
			me.ackSeen = true
		}
		me.next = (ns + 1) & (seqMod - 1)
		me.seen = true
		a |= t.ack(s, f.RecvSeq)
		k := t.K
		if k == 0 {
			k = DefaultK
		}
		if out := seqDiff(me.next, me.acked); out > k && out < seqMod/2 {
			a |= AnomalyKWindow
		}
	case FormatS:
		a |= t.ack(s, f.RecvSeq)
	case FormatU:
		a |= t.control(s, f.UFunc)
	}
	return a
}

// ack checks N(R) nr sent by side s, acknowledging the peer's I-frames.
func (t *Tracker) ack(s int, nr uint16) Anomaly {
	nr &= seqMod - 1
	p := &t.side[1-s]
	var a Anomaly
	if p.seen {
		if d := seqDiff(nr, p.next); d != 0 && d < seqMod/2 {
			a |= AnomalyAckUnsent
		}
	}
	if p.ackSeen && a == 0 {
		if back := seqDiff(p.acked, nr); back != 0 && back < seqMod/2 {
			a |= AnomalyAckBackwards
		} else {
			w := t.W
			if w == 0 {
				w = DefaultW
			}
			if seqDiff(nr, p.acked) > w {
				a |= AnomalyWWindow
			}
		}
	}
	if a&(AnomalyAckBackwards|AnomalyAckUnsent) == 0 {
		p.acked = nr
		p.ackSeen = true
	}
	return a
}

// control follows the U-frame function u sent by side s.
func (t *Tracker) control(s int, u UFunction) Anomaly {
	known := t.state != dtUnknown
	var a Anomaly
	switch u {
	case StartDTAct:
		t.state = dtStarting
	case StartDTCon:
		if known && t.state != dtStarting {
			a |= AnomalyUnexpectedCon
		}
		t.state = dtStarted
	case StopDTAct:
		t.state = dtStopping
	case StopDTCon:
		if known && t.state != dtStopping {
			a |= AnomalyUnexpectedCon
		}
		t.state = dtStopped
	case TestFRAct:
		t.side[s].testAct = true
	case TestFRCon:
		p := &t.side[1-s]
		if known && !p.testAct {
			a |= AnomalyUnexpectedCon
		}
		p.testAct = false
	}
	return a
}
