package fuzz

import (
	"reflect"
)

// connDriver is a protocol's Conn behind one interface: results and stats
// are pointers to the package's own types.
type connDriver interface {
	decode(b []byte, toServer bool, ts int64) (msg any, err error)
	flush(yield func(msg any) bool)
	reset()
	stats() any
	gap(toServer bool)
	owner() any
}

// connOf adapts a Conn of type C with Message M and ConnStats S.
type connOf[C, M, S any] struct {
	c   C
	dec func(*C, []byte, bool, int64) (*M, error)
	fl  func(*C, func(*M) bool)
	rs  func(*C)
	st  func(*C) S
}

func newConn[C, M, S any](dec func(*C, []byte, bool, int64) (*M, error), fl func(*C, func(*M) bool), rs func(*C), st func(*C) S) connDriver {
	return &connOf[C, M, S]{dec: dec, fl: fl, rs: rs, st: st}
}

func (k *connOf[C, M, S]) decode(b []byte, toServer bool, ts int64) (any, error) {
	m, err := k.dec(&k.c, b, toServer, ts)
	if m == nil {
		return nil, err
	}
	return m, err
}

func (k *connOf[C, M, S]) flush(yield func(any) bool) {
	k.fl(&k.c, func(m *M) bool { return yield(m) })
}

func (k *connOf[C, M, S]) reset() { k.rs(&k.c) }
func (k *connOf[C, M, S]) stats() any {
	s := k.st(&k.c)
	return &s
}
func (k *connOf[C, M, S]) owner() any { return &k.c }

func (k *connOf[C, M, S]) gap(toServer bool) {
	if g, ok := any(&k.c).(interface{ Gap(bool) }); ok {
		g.Gap(toServer)
	}
}

// ConnChecker drives one Conn of a protocol and checks every result it
// gives, as doc/grammar.md describes a Conn:
//
//   - Decode returns a Message for every PDU, with the direction and time
//     given, Unanswered false; a paired response's RequestTime lies within
//     the times given so far;
//   - the Message passes Walk: its views lie inside the PDU or the Conn,
//     its cursors and repeats keep their rules;
//   - it stays as it was until the Conn's next call: decoding the same PDU
//     on another Conn and walking it again change nothing; a Clone (where
//     the Message has one) survives the next call unchanged;
//   - ConnStats.Pending stays within the bound and the counters never go
//     down;
//   - Flush yields only Unanswered messages, which pass Walk, and leaves
//     nothing pending.
//
// The zero value is not usable: make one with NewConnChecker.
type ConnChecker struct {
	p            Protocol
	wk           *Walker
	c, other     connDriver
	first        bool
	minTS, maxTS int64
	lastStats    []uint64
	kept         any
	keptPrint    []byte
	keptWhat     string
	messagesSeen int
}

// NewConnChecker returns a checker with a fresh Conn of protocol p.
func NewConnChecker(p Protocol) *ConnChecker {
	return &ConnChecker{p: p, wk: new(Walker), c: p.newConn(), other: p.newConn()}
}

// Reset resets the Conn (a new connection) and the checker's memory of it.
func (k *ConnChecker) Reset() {
	k.c.reset()
	k.other.reset()
	k.first = false
	k.lastStats = k.lastStats[:0]
	k.kept = nil
}

// Gap tells the Conn, when it has a Gap method, that bytes of one
// direction were lost.
func (k *ConnChecker) Gap(toServer bool) { k.c.gap(toServer) }

// Decode gives b to the Conn and checks the result. The error returned is
// a Failure; the Conn's own decoding error is not one.
func (k *ConnChecker) Decode(b []byte, toServer bool, ts int64) error {
	return k.decode(b, toServer, ts, true)
}

// DecodeLight is Decode with only the cheap checks: the Message's fields,
// the bound and the counters; no Walk, no stability, no Clone. Long
// streams check their first PDUs with Decode and the rest with DecodeLight.
func (k *ConnChecker) DecodeLight(b []byte, toServer bool, ts int64) error {
	return k.decode(b, toServer, ts, false)
}

func (k *ConnChecker) decode(b []byte, toServer bool, ts int64, deep bool) error {
	if !k.first {
		k.first, k.minTS, k.maxTS = true, ts, ts
	}
	k.minTS, k.maxTS = min(k.minTS, ts), max(k.maxTS, ts)
	if err := k.checkKept(); err != nil {
		return err
	}
	m, _ := k.c.decode(b, toServer, ts)
	k.messagesSeen++
	name := k.p.Proto.String() + " Conn.Decode"
	if m == nil {
		return fail("conn message", "%s returned a nil Message", name)
	}
	if err := k.fields(name, m, toServer, ts, false); err != nil {
		return err
	}
	if !deep {
		return k.checkStats(name)
	}
	var werr error
	if err := Stable(name+" Message", m, func() {
		werr = k.wk.Walk(m, b, k.c.owner())
		k.other.decode(b, toServer, ts)
	}); err != nil {
		return err
	}
	if werr != nil {
		return werr
	}
	if err := k.keep(m); err != nil {
		return err
	}
	return k.checkStats(name)
}

// Flush ends the connection: each pending request comes back unanswered.
func (k *ConnChecker) Flush() error {
	if err := k.checkKept(); err != nil {
		return err
	}
	name := k.p.Proto.String() + " Conn.Flush"
	var err error
	n := 0
	k.c.flush(func(m any) bool {
		n++
		if m == nil {
			err = fail("conn message", "%s yielded a nil Message", name)
			return false
		}
		if err = k.fields(name, m, false, 0, true); err != nil {
			return false
		}
		if err = k.wk.Walk(m, k.c.owner()); err != nil {
			return false
		}
		return n <= k.p.MaxPending+1
	})
	if err != nil {
		return err
	}
	if n > k.p.MaxPending {
		return fail("conn pending bound", "%s yielded %d messages, bound %d", name, n, k.p.MaxPending)
	}
	if err := k.checkStats(name); err != nil {
		return err
	}
	if p := pending(k.c.stats()); p != 0 {
		return fail("conn flush empties", "%s left Pending %d", name, p)
	}
	k.other.flush(func(any) bool { return true })
	return nil
}

// fields checks the Message fields every Conn has.
func (k *ConnChecker) fields(name string, m any, toServer bool, ts int64, flushed bool) error {
	v := reflect.ValueOf(m).Elem()
	get := func(f string) reflect.Value { return v.FieldByName(f) }
	if u := get("Unanswered"); u.IsValid() && u.Bool() != flushed {
		return fail("conn unanswered only from flush", "%s: Unanswered %v", name, u.Bool())
	}
	if flushed {
		return nil
	}
	if d := get("ToServer"); d.IsValid() && d.Bool() != toServer {
		return fail("conn message direction", "%s: ToServer %v, given %v", name, d.Bool(), toServer)
	}
	if t := get("Time"); t.IsValid() && t.Int() != ts {
		return fail("conn message time", "%s: Time %d, given %d", name, t.Int(), ts)
	}
	if p := get("Paired"); p.IsValid() && p.Bool() {
		// pcapx may deliver a flow's last PDUs out of time order (each
		// direction's rest when the flow ends), so the request's time is
		// one of those given, not necessarily an earlier one.
		if rt := get("RequestTime"); rt.IsValid() && (rt.Int() > k.maxTS || rt.Int() < k.minTS) {
			return fail("conn request time", "%s: RequestTime %d outside the times given [%d, %d]", name, rt.Int(), k.minTS, k.maxTS)
		}
	}
	return nil
}

// keep clones m when its type has Clone, to check at the next call that
// the clone outlived it.
func (k *ConnChecker) keep(m any) error {
	c := reflect.ValueOf(m).MethodByName("Clone")
	if !c.IsValid() || c.Type().NumIn() != 0 || c.Type().NumOut() != 1 {
		return nil
	}
	cl := c.Call(nil)[0].Interface()
	if err := k.wk.Walk(cl, cl); err != nil {
		return fail("conn clone", "the Clone of a %T does not own its bytes: %v", m, err)
	}
	k.kept, k.keptPrint, k.keptWhat = cl, Fingerprint(cl), reflect.TypeOf(m).String()
	return nil
}

func (k *ConnChecker) checkKept() error {
	if k.kept == nil {
		return nil
	}
	if string(Fingerprint(k.kept)) != string(k.keptPrint) {
		return fail("conn clone", "the Clone of a %s changed with the Conn's next call", k.keptWhat)
	}
	k.kept = nil
	return nil
}

// checkStats checks the bound and that no counter went down.
func (k *ConnChecker) checkStats(name string) error {
	st := k.c.stats()
	if err := ConnBound(st, k.p.MaxPending); err != nil {
		return fail("conn pending bound", "%s: %v", name, err)
	}
	v := reflect.ValueOf(st).Elem()
	i := 0
	for f := range v.NumField() {
		fv := v.Field(f)
		if fv.Kind() != reflect.Uint64 {
			continue
		}
		if i < len(k.lastStats) && fv.Uint() < k.lastStats[i] {
			return fail("conn counters grow", "%s: %s went from %d to %d", name, v.Type().Field(f).Name, k.lastStats[i], fv.Uint())
		}
		if i < len(k.lastStats) {
			k.lastStats[i] = fv.Uint()
		} else {
			k.lastStats = append(k.lastStats, fv.Uint())
		}
		i++
	}
	return nil
}

func pending(stats any) int {
	v := reflect.ValueOf(stats).Elem().FieldByName("Pending")
	if !v.IsValid() {
		return 0
	}
	return int(v.Int())
}
