package iec104

import "time"

// CP56Time2a is the seven-octet binary time of IEC 60870-5-4.
type CP56Time2a struct {
	Millis      uint16 // milliseconds within the minute, 0..59999
	Minute      uint8  // 0..59
	Hour        uint8  // 0..23
	Day         uint8  // day of month, 1..31
	DayOfWeek   uint8  // 1..7, 0 when unused
	Month       uint8  // 1..12
	Year        uint8  // 0..99
	Invalid     bool   // IV
	Substituted bool   // the minute octet's bit 7 (GEN in Wireshark; RES1 in the standard)
	Summer      bool   // SU: summer time
}

// DecodeCP56 decodes the first seven octets of b, which the caller has
// bounds-checked. It does not allocate.
func DecodeCP56(b []byte) CP56Time2a {
	_ = b[6]
	return CP56Time2a{
		Millis:      uint16(b[0]) | uint16(b[1])<<8,
		Minute:      b[2] & 0x3f,
		Substituted: b[2]&0x40 != 0,
		Invalid:     b[2]&0x80 != 0,
		Hour:        b[3] & 0x1f,
		Summer:      b[3]&0x80 != 0,
		Day:         b[4] & 0x1f,
		DayOfWeek:   b[4] >> 5,
		Month:       b[5] & 0x0f,
		Year:        b[6] & 0x7f,
	}
}

// Time returns t as a time in loc (the tag carries no zone; UTC when loc is
// nil). Years 0..69 are 2000..2069 and 70..99 are 1970..1999, as Wireshark
// reads them; out-of-range fields carry over as time.Date normalises them
// (month 0 is December of the year before). It does not allocate.
func (t CP56Time2a) Time(loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	y := int(t.Year)
	if y < 70 {
		y += 2000
	} else {
		y += 1900
	}
	ms := int(t.Millis)
	return time.Date(y, time.Month(t.Month), int(t.Day), int(t.Hour), int(t.Minute),
		ms/1000, (ms%1000)*int(time.Millisecond), loc)
}

// CP24Time2a is the three-octet binary time: milliseconds and minutes.
type CP24Time2a struct {
	Millis  uint16 // 0..59999
	Minute  uint8  // 0..59
	Invalid bool   // IV
}

func decodeCP24(b []byte) CP24Time2a {
	_ = b[2]
	return CP24Time2a{
		Millis:  uint16(b[0]) | uint16(b[1])<<8,
		Minute:  b[2] & 0x3f,
		Invalid: b[2]&0x80 != 0,
	}
}

// Duration returns the time past the hour that t stands for. It does not
// allocate.
func (t CP24Time2a) Duration() time.Duration {
	return time.Duration(t.Minute)*time.Minute + time.Duration(t.Millis)*time.Millisecond
}

// Time returns t placed in the hour that brings it nearest to ref (for
// instance the capture time of its APDU): a CP24Time2a holds only the
// minute and millisecond, so a tag of minute 59 seen at 10:00:30 is 09:59.
// The result is in ref's location. It does not allocate.
func (t CP24Time2a) Time(ref time.Time) time.Time {
	c := ref.Truncate(time.Hour).Add(t.Duration())
	switch d := c.Sub(ref); {
	case d > 30*time.Minute:
		c = c.Add(-time.Hour)
	case d <= -30*time.Minute:
		c = c.Add(time.Hour)
	}
	return c
}
