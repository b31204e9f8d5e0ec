package enip

// IOPort is the UDP port of implicit (class 0/1) I/O.
const IOPort = 2222

// IOFrame is one implicit I/O datagram: a CPF list with a Sequenced
// Address item and a Connected Data item.
type IOFrame struct {
	ConnID uint32
	// EncapSeq is the encapsulation sequence number of the address item.
	EncapSeq uint32
	// Data is the Connected Data item's data: for class 1 it starts with
	// the 16-bit CIP sequence count, often followed by a 32-bit run/idle
	// header. [Connection.Split] separates them.
	Data []byte
	// HasAddress and HasData tell which items were present.
	HasAddress, HasData bool
	Anomalies           Anomaly
}

// ParseIO decodes an implicit I/O datagram (a UDP 2222 payload). It does
// not allocate.
func ParseIO(b []byte) (IOFrame, error) {
	var f IOFrame
	it := NewItems(b)
	for it.Next() {
		item := it.Item()
		switch item.Type {
		case ItemSequencedAddress:
			if id, seq, ok := item.SequencedAddress(); ok {
				f.ConnID, f.EncapSeq, f.HasAddress = id, seq, true
			}
		case ItemConnectedData:
			f.Data, f.HasData = item.Data, true
		}
	}
	f.Anomalies = it.Anomalies()
	if it.Err() != nil {
		return f, it.Err()
	}
	if len(b) == 0 {
		return f, ErrTruncated
	}
	return f, nil
}

// Connection is what a Forward Open and its reply tell about a connection.
type Connection struct {
	OTConnID, TOConnID uint32
	Triad              ConnectionTriad
	OTRPI, TORPI       uint32
	// OTAPI and TOAPI are the actual packet intervals from the reply.
	OTAPI, TOAPI     uint32
	OTSize, TOSize   uint32
	TransportTrigger uint8
	// Class is the class of the connection path's application object, when
	// the path names one.
	Class uint32
	// path holds the first bytes of the Forward Open connection path.
	path    [connPathMax]byte
	pathLen uint8
}

// connPathMax is how many bytes of a connection path a Connection keeps.
const connPathMax = 64

// ConnPath returns the Forward Open connection path (its first 64 bytes).
func (c *Connection) ConnPath() Path { return Path(c.path[:c.pathLen]) }

// IODirection tells which way an I/O datagram travels on a connection.
type IODirection uint8

// Directions.
const (
	DirUnknown IODirection = iota
	DirOT
	DirTO
)

// Split separates class 1 I/O data into its CIP sequence count and the rest,
// and, in the O->T direction when runIdle is true, the 32-bit run/idle
// header. For class 0 the data is returned whole.
func (c *Connection) Split(d []byte, runIdle bool) (seq uint16, hasSeq bool, header uint32, hasHeader bool, data []byte) {
	data = d
	if c.TransportTrigger&0x0F == 1 && len(data) >= 2 {
		seq, hasSeq = uint16(data[0])|uint16(data[1])<<8, true
		data = data[2:]
	}
	if runIdle && len(data) >= 4 {
		header = uint32(data[0]) | uint32(data[1])<<8 | uint32(data[2])<<16 | uint32(data[3])<<24
		hasHeader = true
		data = data[4:]
	}
	return
}

// TrackerSize is the number of connections and pending Forward Opens a
// [Tracker] keeps; older entries are overwritten.
const TrackerSize = 256

// Tracker correlates implicit I/O with the Forward Open that created its
// connection. It keeps a fixed number of pending requests and open
// connections and never grows. The zero value is ready to use; it does not
// allocate.
type Tracker struct {
	pending  [TrackerSize]Connection
	pendUsed [TrackerSize]bool
	pendNext int
	conns    [TrackerSize]Connection
	connUsed [TrackerSize]bool
	connNext int
	// Overflows counts entries overwritten while still in use.
	Overflows int
}

// Request records a Forward Open request.
func (t *Tracker) Request(f *ForwardOpen) {
	c := Connection{
		OTConnID: f.OTConnID, TOConnID: f.TOConnID, Triad: f.Triad,
		OTRPI: f.OTRPI, TORPI: f.TORPI, OTSize: f.OTSize(), TOSize: f.TOSize(),
		TransportTrigger: f.TransportTrigger,
	}
	if tg := f.ConnPath.Target(); tg.HasClass {
		c.Class = tg.Class
	}
	c.pathLen = uint8(copy(c.path[:], f.ConnPath))
	for i := range t.pending {
		if t.pendUsed[i] && t.pending[i].Triad == f.Triad {
			t.pending[i] = c
			return
		}
	}
	if t.pendUsed[t.pendNext] {
		t.Overflows++
	}
	t.pending[t.pendNext], t.pendUsed[t.pendNext] = c, true
	t.pendNext = (t.pendNext + 1) % TrackerSize
}

// Reply records a successful Forward Open reply and returns the connection
// it opens, merged with its request when that was seen.
func (t *Tracker) Reply(r *ForwardOpenReply) (Connection, bool) {
	c := Connection{Triad: r.Triad}
	found := false
	for i := range t.pending {
		if t.pendUsed[i] && t.pending[i].Triad == r.Triad {
			c, found = t.pending[i], true
			t.pendUsed[i] = false
			break
		}
	}
	c.OTConnID, c.TOConnID, c.OTAPI, c.TOAPI = r.OTConnID, r.TOConnID, r.OTAPI, r.TOAPI
	for i := range t.conns {
		if t.connUsed[i] && t.conns[i].Triad == r.Triad {
			t.conns[i] = c
			return c, found
		}
	}
	if t.connUsed[t.connNext] {
		t.Overflows++
	}
	t.conns[t.connNext], t.connUsed[t.connNext] = c, true
	t.connNext = (t.connNext + 1) % TrackerSize
	return c, found
}

// Close forgets the connection with the given triad (Forward Close).
func (t *Tracker) Close(tr ConnectionTriad) {
	for i := range t.conns {
		if t.connUsed[i] && t.conns[i].Triad == tr {
			t.connUsed[i] = false
		}
	}
}

// Lookup finds the connection that uses connID and the direction connID
// stands for.
func (t *Tracker) Lookup(connID uint32) (Connection, IODirection, bool) {
	for i := range t.conns {
		if !t.connUsed[i] {
			continue
		}
		switch connID {
		case t.conns[i].OTConnID:
			return t.conns[i], DirOT, true
		case t.conns[i].TOConnID:
			return t.conns[i], DirTO, true
		}
	}
	return Connection{}, DirUnknown, false
}

// LookupTriad finds the connection with the given triad.
func (t *Tracker) LookupTriad(tr ConnectionTriad) (Connection, bool) {
	for i := range t.conns {
		if t.connUsed[i] && t.conns[i].Triad == tr {
			return t.conns[i], true
		}
	}
	return Connection{}, false
}

// Reset forgets everything.
func (t *Tracker) Reset() { *t = Tracker{} }
