package enip

// IOFrame is one implicit I/O datagram: a CPF list with a Sequenced
// Address item and a Connected Data item.
type IOFrame struct {
	ConnID uint32
	// EncapSeq is the encapsulation sequence number of the address item.
	EncapSeq uint32
	// Data is the Connected Data item's data: for class 1 it starts with
	// the 16-bit CIP sequence count, often followed by a 32-bit run/idle
	// header. [Connection.IO] separates them.
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

// connPathMax is how many bytes of a connection path a Connection keeps.
const connPathMax = 64

// Connection is what a Forward Open and its reply tell about a CIP
// connection: its ids, intervals, sizes, transport, connection path and
// the electronic key its originator expects of the target.
type Connection struct {
	// OTConnID is the id of the originator-to-target direction (chosen by
	// the target, in the reply); TOConnID the target-to-originator one.
	OTConnID, TOConnID uint32
	Triad              ConnectionTriad
	// OTRPI and TORPI are the requested packet intervals, in microseconds.
	OTRPI, TORPI uint32
	// OTAPI and TOAPI are the actual packet intervals from the reply.
	OTAPI, TOAPI     uint32
	OTSize, TOSize   uint32
	TransportTrigger uint8
	// Large is true for a Large Forward Open.
	Large bool
	// Requested is true when the Forward Open request was seen (RPIs,
	// sizes, path and key are known); Opened when its successful reply
	// was.
	Requested, Opened bool
	// Class is the class of the connection path's application object, when
	// the path names one.
	Class Class
	// Key is the connection path's electronic key (HasKey).
	Key    ElectronicKey
	HasKey bool
	// PathWords is the connection path's size in words, as sent.
	PathWords uint8
	path      [connPathMax]byte
	pathLen   uint8
}

// ConnPath returns the Forward Open connection path (its first 64 bytes).
func (c *Connection) ConnPath() Path { return Path(c.path[:c.pathLen]) }

// Route returns the first hop of the connection path: the port and link
// address (backplane slot) of the module the connection goes to.
func (c *Connection) Route() (Route, bool) { return c.ConnPath().Route() }

// TransportClass returns the transport class (0-3).
func (c *Connection) TransportClass() uint8 { return c.TransportTrigger & 0x0F }

// setRequest fills c from a Forward Open request.
func (c *Connection) setRequest(f *ForwardOpen) {
	*c = Connection{
		OTConnID: f.OTConnID, TOConnID: f.TOConnID, Triad: f.Triad,
		OTRPI: f.OTRPI, TORPI: f.TORPI, OTSize: f.OTSize(), TOSize: f.TOSize(),
		TransportTrigger: f.TransportTrigger, Large: f.Large, Requested: true,
		PathWords: f.ConnPathWords,
	}
	if tg := f.ConnPath.Target(); tg.HasClass {
		c.Class = tg.Class
	}
	c.Key, c.HasKey = f.ConnPath.Key()
	c.pathLen = uint8(copy(c.path[:], f.ConnPath))
}

// setReply fills c from a successful Forward Open reply.
func (c *Connection) setReply(r *ForwardOpenReply) {
	c.Triad = r.Triad
	c.OTConnID, c.TOConnID, c.OTAPI, c.TOAPI = r.OTConnID, r.TOConnID, r.OTAPI, r.TOAPI
	c.Opened = true
}

// IOData is class 0/1 I/O data split into its parts.
type IOData struct {
	// Seq is the class 1 CIP sequence count (HasSeq).
	Seq    uint16
	HasSeq bool
	// Header is the 32-bit run/idle header (HasHeader): bit 0 set means
	// run.
	Header    uint32
	HasHeader bool
	// Data views the application data.
	Data []byte
}

// IO separates the I/O data d of a datagram on c into the class 1 sequence
// count, the run/idle header (in the originator-to-target direction, as
// fromOriginator says) and the application data. For class 0 the data has
// no sequence count. It does not allocate.
func (c *Connection) IO(d []byte, fromOriginator bool) IOData {
	out := IOData{Data: d}
	if c.TransportTrigger&0x0F == 1 && len(d) >= 2 {
		out.Seq, out.HasSeq = uint16(d[0])|uint16(d[1])<<8, true
		d = d[2:]
	}
	if fromOriginator && len(d) >= 4 {
		out.Header = uint32(d[0]) | uint32(d[1])<<8 | uint32(d[2])<<16 | uint32(d[3])<<24
		out.HasHeader = true
		d = d[4:]
	}
	out.Data = d
	return out
}

// TrackerSize is the number of connections a [Tracker] keeps; the oldest
// is overwritten first.
const TrackerSize = 256

// Tracker remembers, across network flows, the connections that Forward
// Opens established, so that implicit I/O datagrams (UDP 2222, a flow of
// their own) can be tied to the Forward Open that created their
// connection: its RPIs, sizes, transport class and connection path. It is
// the only state the package keeps across flows; per-connection state is a
// [Conn]'s. Feed it with the connections a Conn reports ([Message.Opened],
// [Message.Closed]). It keeps a fixed number of connections and never
// grows; the zero value is ready to use; it does not allocate.
type Tracker struct {
	conns [TrackerSize]Connection
	used  [TrackerSize]bool
	next  int
	// Overflows counts connections overwritten while still open.
	Overflows int
}

// Open records an established connection (a copy of c), replacing one with
// the same triad.
func (t *Tracker) Open(c *Connection) {
	for i := range t.conns {
		if t.used[i] && t.conns[i].Triad == c.Triad {
			t.conns[i] = *c
			return
		}
	}
	if t.used[t.next] {
		t.Overflows++
	}
	t.conns[t.next], t.used[t.next] = *c, true
	t.next = (t.next + 1) % TrackerSize
}

// Close forgets the connection with the given triad (Forward Close).
func (t *Tracker) Close(tr ConnectionTriad) {
	for i := range t.conns {
		if t.used[i] && t.conns[i].Triad == tr {
			t.used[i] = false
		}
	}
}

// Lookup finds the connection that uses connID. fromOriginator is true when
// connID is the originator-to-target id. The result points into the
// Tracker and is valid until its next Open.
func (t *Tracker) Lookup(connID uint32) (c *Connection, fromOriginator, ok bool) {
	for i := range t.conns {
		if !t.used[i] {
			continue
		}
		switch connID {
		case t.conns[i].OTConnID:
			return &t.conns[i], true, true
		case t.conns[i].TOConnID:
			return &t.conns[i], false, true
		}
	}
	return nil, false, false
}

// LookupTriad finds the connection with the given triad. The result points
// into the Tracker and is valid until its next Open.
func (t *Tracker) LookupTriad(tr ConnectionTriad) (*Connection, bool) {
	for i := range t.conns {
		if t.used[i] && t.conns[i].Triad == tr {
			return &t.conns[i], true
		}
	}
	return nil, false
}

// Len returns the number of connections kept.
func (t *Tracker) Len() int {
	n := 0
	for _, u := range t.used {
		if u {
			n++
		}
	}
	return n
}

// Reset forgets everything.
func (t *Tracker) Reset() { *t = Tracker{} }
