package s7comm

// Reassembly bounds.
const (
	// MaxCOTPMessage is the largest message a Decoder reassembles from
	// COTP DT TPDUs.
	MaxCOTPMessage = 8192
	// MaxUserdataMessage is the largest userdata payload a Decoder
	// reassembles from data units.
	MaxUserdataMessage = 16384
)

// Decoder decodes the TPKT packets of one direction of one connection,
// reassembling COTP DT TPDUs (EOT bit) and userdata data units (data unit
// reference, last-data-unit flag) in fixed buffers it owns. The zero value
// is ready to use. A Frame returned by Decode may alias the Decoder's
// buffers and is valid until the next call to Decode or Reset.
//
// At most one COTP message and one userdata message are in reassembly at
// a time; a fragment of another userdata message replaces the pending one
// (AnomalyFragment). A message that would exceed its buffer is dropped with
// ErrOverflow. Decode does not allocate.
type Decoder struct {
	cotp    [MaxCOTPMessage]byte
	cotpN   int
	cotpOn  bool
	cotpBad bool

	ud      [MaxUserdataMessage]byte
	udN     int
	udOn    bool
	udRef   uint8
	udFrags uint16
	udGroup FuncGroup
	udSub   uint8
}

// Reset drops any partial message, as after a gap in the stream.
func (d *Decoder) Reset() {
	d.cotpN, d.cotpOn, d.cotpBad = 0, false, false
	d.udN, d.udOn, d.udFrags = 0, false, 0
}

// Decode decodes one TPKT packet (as cut by [Split]). For a DT TPDU without
// EOT it stores the payload and returns a frame of Kind KindFragment; the
// DT that completes the message returns the S7comm or S7comm-plus PDU
// decoded from the joined payload. Userdata data units are joined the same
// way (see [UserdataData]).
func (d *Decoder) Decode(b []byte) (Frame, error) {
	var f Frame
	if _, err := f.parse(b); err != nil {
		return f, err
	}
	var err error
	if f.COTP.Type != TPDUData {
		return f, nil
	}
	data := f.COTP.Data
	if !f.COTP.EOT {
		if !d.cotpOn {
			d.cotpOn, d.cotpN, d.cotpBad = true, 0, false
		}
		if d.cotpN+len(data) > len(d.cotp) {
			d.cotpBad = true
		} else {
			d.cotpN += copy(d.cotp[d.cotpN:], data)
		}
		return f, nil
	}
	if d.cotpOn {
		d.cotpOn = false
		if d.cotpBad || d.cotpN+len(data) > len(d.cotp) {
			d.cotpN = 0
			return f, ErrOverflow
		}
		n := d.cotpN + copy(d.cotp[d.cotpN:], data)
		d.cotpN = 0
		f.reassembled = d.cotp[:n:n]
		f.PDU = PDU{}
		err = f.decodePayload(f.reassembled)
		if err != nil {
			return f, err
		}
	}
	if f.Kind == KindS7 && f.PDU.ROSCTR == Userdata {
		err = d.userdata(&f)
	}
	return f, err
}

// userdata joins userdata data units. Wireshark's rule: a PDU with a
// nonzero data unit reference is a fragment of the message with that
// reference; the one with last-data-unit 0 ends it.
func (d *Decoder) userdata(f *Frame) error {
	p := &f.PDU
	u, ok := p.Userdata()
	if !ok || !u.HasDataUnit || u.DataUnitRef == 0 {
		return nil
	}
	dd, ok := p.UserdataData()
	if !ok || dd.Length < 2 {
		return nil
	}
	if d.udOn && (d.udRef != u.DataUnitRef || d.udGroup != u.Group || d.udSub != u.Subfunc) {
		// Another message interleaved: drop the pending one.
		f.Anomalies |= AnomalyFragment
		p.Anomalies |= AnomalyFragment
		d.udOn = false
	}
	if !d.udOn {
		d.udOn, d.udN, d.udFrags = true, 0, 0
		d.udRef, d.udGroup, d.udSub = u.DataUnitRef, u.Group, u.Subfunc
	}
	if d.udN+len(dd.Payload) > len(d.ud) {
		d.udOn = false
		return ErrOverflow
	}
	d.udN += copy(d.ud[d.udN:], dd.Payload)
	d.udFrags++
	if u.More() {
		p.udState = udFragment
		return nil
	}
	d.udOn = false
	p.udState = udReassembled
	p.ud = d.ud[:d.udN:d.udN]
	p.udFrags = d.udFrags
	return nil
}
