package dnp3

// AuthMessage is a decoded secure authentication object (group 120). Only
// the fields of its variation are set; byte fields alias the fragment.
type AuthMessage struct {
	// Variation is the group 120 variation (the message type).
	Variation uint8
	// Seq is the challenge sequence number (CSQ, v1-v3, v7), the key
	// change sequence number (KSQ, v5, v6) or the status change / update
	// key change sequence number (SCS, v10, v12, v13).
	Seq uint32
	// User is the user number.
	User uint16
	// MACAlgorithm (v1, v5), Reason (v1: challenge reason), KeyWrap (v5:
	// key wrap algorithm), KeyStatus (v5), KeyChangeMethod (v8, v10, v11),
	// Operation (v10), CertType (v8) and ErrorCode (v7).
	MACAlgorithm, Reason, KeyWrap, KeyStatus uint8
	KeyChangeMethod, Operation, CertType     uint8
	ErrorCode                                uint8
	// Association is the association id of an error (v7).
	Association uint16
	// Time is the time of an error (v7), DNP3 milliseconds.
	Time uint64
	// Challenge holds challenge data (v1, v5, v11, v12), Data the wrapped
	// key data (v6), the certificate (v8), the update key (v13), the
	// signature (v14) or the error text (v7); MAC the message
	// authentication code (v2, v5, v9, v15); Name the user name (v10, v11).
	Challenge, Data, MAC, Name []byte
	// Role and RoleExpiry are the user role and its expiry in days (v10).
	Role, RoleExpiry uint16
}

// MACLen returns the length of the MAC produced by a MAC algorithm code,
// or 0 for an unknown code.
func MACLen(alg uint8) int {
	switch alg {
	case 1:
		return 4
	case 2:
		return 10
	case 3, 5:
		return 8
	case 4:
		return 16
	case 6:
		return 12
	}
	return 0
}

// Auth decodes the current object of a group 120 header. ok is false for
// another group, an unknown variation or an object too short for its fixed
// fields.
func (c *Points) Auth() (m AuthMessage, ok bool) {
	if c.g != 120 {
		return m, false
	}
	r := c.Raw()
	variation := c.v
	m.Variation = variation
	need := func(n int) bool { return len(r) >= n }
	switch variation {
	case 1: // challenge
		if !need(8) {
			return m, false
		}
		m.Seq, m.User, m.MACAlgorithm, m.Reason = le32(r), le16(r[4:]), r[6], r[7]
		m.Challenge = r[8:]
	case 2: // reply
		if !need(6) {
			return m, false
		}
		m.Seq, m.User, m.MAC = le32(r), le16(r[4:]), r[6:]
	case 3: // aggressive mode request
		if !need(6) {
			return m, false
		}
		m.Seq, m.User = le32(r), le16(r[4:])
	case 4: // session key status request
		if !need(2) {
			return m, false
		}
		m.User = le16(r)
	case 5: // session key status
		if !need(11) {
			return m, false
		}
		m.Seq, m.User, m.KeyWrap, m.KeyStatus, m.MACAlgorithm = le32(r), le16(r[4:]), r[6], r[7], r[8]
		n := int(le16(r[9:]))
		if len(r) < 11+n {
			return m, false
		}
		m.Challenge = r[11 : 11+n]
		m.MAC = r[11+n:]
	case 6: // session key change
		if !need(6) {
			return m, false
		}
		m.Seq, m.User, m.Data = le32(r), le16(r[4:]), r[6:]
	case 7: // error
		if !need(15) {
			return m, false
		}
		m.Seq, m.User, m.Association, m.ErrorCode = le32(r), le16(r[4:]), le16(r[6:]), r[8]
		m.Time = le48(r[9:])
		m.Data = r[15:]
	case 8: // user certificate
		if !need(2) {
			return m, false
		}
		m.KeyChangeMethod, m.CertType, m.Data = r[0], r[1], r[2:]
	case 9, 15: // MAC, update key change confirmation
		m.MAC = r
	case 10: // user status change
		if !need(16) {
			return m, false
		}
		m.KeyChangeMethod, m.Operation, m.Seq = r[0], r[1], le32(r[2:])
		m.Role, m.RoleExpiry = le16(r[6:]), le16(r[8:])
		nl, kl, cl := int(le16(r[10:])), int(le16(r[12:])), int(le16(r[14:]))
		if len(r) < 16+nl+kl+cl {
			return m, false
		}
		m.Name = r[16 : 16+nl]
		m.Data = r[16+nl : 16+nl+kl+cl]
	case 11: // update key change request
		if !need(5) {
			return m, false
		}
		m.KeyChangeMethod = r[0]
		nl, cl := int(le16(r[1:])), int(le16(r[3:]))
		if len(r) < 5+nl+cl {
			return m, false
		}
		m.Name, m.Challenge = r[5:5+nl], r[5+nl:5+nl+cl]
	case 12: // update key change reply
		if !need(8) {
			return m, false
		}
		m.Seq, m.User = le32(r), le16(r[4:])
		n := int(le16(r[6:]))
		if len(r) < 8+n {
			return m, false
		}
		m.Challenge = r[8 : 8+n]
	case 13: // update key change
		if !need(8) {
			return m, false
		}
		m.Seq, m.User = le32(r), le16(r[4:])
		n := int(le16(r[6:]))
		if len(r) < 8+n {
			return m, false
		}
		m.Data = r[8 : 8+n]
	case 14: // update key change signature
		m.Data = r
	default:
		return m, false
	}
	return m, true
}

// SecurityStatistic is a decoded security statistic (g121v1, g122v1,
// g122v2): the point index names the statistic.
type SecurityStatistic struct {
	Flags       uint8
	Association uint16
	Count       uint32
	// Time is set for g122v2.
	Time    uint64
	HasTime bool
}

// SecurityStatistic decodes the current object of a group 121 or 122
// header.
func (c *Points) SecurityStatistic() (SecurityStatistic, bool) {
	r := c.Raw()
	if c.g != 121 && c.g != 122 || len(r) < 7 {
		return SecurityStatistic{}, false
	}
	s := SecurityStatistic{Flags: r[0], Association: le16(r[1:]), Count: le32(r[3:])}
	if len(r) >= 13 {
		s.Time, s.HasTime = le48(r[7:]), true
	}
	return s, true
}

// FileCommand is a file command (g70v3): open or delete a file.
type FileCommand struct {
	Created     uint64 // DNP3 time
	Permissions uint16
	AuthKey     uint32
	Size        uint32
	Mode        uint16 // 0 null, 1 read, 2 write, 3 append
	MaxBlock    uint16
	RequestID   uint16
	Name        []byte
}

// FileCommand decodes the current object of a g70v3 header.
func (c *Points) FileCommand() (FileCommand, bool) {
	r := c.Raw()
	if c.g != 70 || c.v != 3 || len(r) < 26 {
		return FileCommand{}, false
	}
	off, n := int(le16(r)), int(le16(r[2:]))
	f := FileCommand{Created: le48(r[4:]), Permissions: le16(r[10:]), AuthKey: le32(r[12:]),
		Size: le32(r[16:]), Mode: le16(r[20:]), MaxBlock: le16(r[22:]), RequestID: le16(r[24:])}
	if n > 0 {
		if off < 26 || off+n > len(r) {
			return f, false
		}
		f.Name = r[off : off+n]
	}
	return f, true
}

// FileStatus is a file command status (g70v4) or file transport status
// (g70v6).
type FileStatus struct {
	Handle uint32
	// Size and MaxBlock are set for g70v4; Block and Last for g70v6.
	Size      uint32
	MaxBlock  uint16
	RequestID uint16
	Block     uint32
	Last      bool
	Status    uint8
	Text      []byte
}

// FileStatus decodes the current object of a g70v4 or g70v6 header.
func (c *Points) FileStatus() (FileStatus, bool) {
	r := c.Raw()
	if c.g != 70 {
		return FileStatus{}, false
	}
	switch c.v {
	case 4:
		if len(r) < 13 {
			return FileStatus{}, false
		}
		return FileStatus{Handle: le32(r), Size: le32(r[4:]), MaxBlock: le16(r[8:]),
			RequestID: le16(r[10:]), Status: r[12], Text: r[13:]}, true
	case 6:
		if len(r) < 9 {
			return FileStatus{}, false
		}
		b := le32(r[4:])
		return FileStatus{Handle: le32(r), Block: b &^ (1 << 31), Last: b>>31 != 0,
			Status: r[8], Text: r[9:]}, true
	}
	return FileStatus{}, false
}

// FileTransport is a block of file data (g70v5).
type FileTransport struct {
	Handle uint32
	Block  uint32
	Last   bool
	Data   []byte
}

// FileTransport decodes the current object of a g70v5 header.
func (c *Points) FileTransport() (FileTransport, bool) {
	r := c.Raw()
	if c.g != 70 || c.v != 5 || len(r) < 8 {
		return FileTransport{}, false
	}
	b := le32(r[4:])
	return FileTransport{Handle: le32(r), Block: b &^ (1 << 31), Last: b>>31 != 0, Data: r[8:]}, true
}
