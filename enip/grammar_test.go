package enip

import (
	"errors"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestEveryAnomalyProduced shows each anomaly flag being set by some input.
func TestEveryAnomalyProduced(t *testing.T) {
	header := func(h string) Anomaly { f, _, _ := Parse(mustHex(h)); return f.Anomalies }
	items := func(h string) Anomaly {
		it := NewItems(mustHex(h))
		for it.Next() {
		}
		return it.Anomalies()
	}
	conn := func(pdus ...[]byte) Anomaly {
		var c Conn
		var a Anomaly
		for i, b := range pdus {
			m, _ := c.Decode(b, b[24+16]&0x80 == 0, int64(i))
			a |= m.Anomalies
		}
		return a
	}
	overflow := func() Anomaly {
		var c Conn
		var a Anomaly
		for i := 0; i <= MaxPending; i++ {
			m, _ := c.Decode(rr(byte(i), "0e03200124013007"), true, 0)
			a |= m.Anomalies
		}
		return a
	}
	longPath := "4c4191" + "80" + testkitHex(make([]byte, 0x80)) + "0100"
	cases := map[Anomaly]Anomaly{
		AnomalyUnknownCommand:       header("990000000000000000000000000000000000000000000000"),
		AnomalyUnknownStatus:        header("650000000000000007000000000000000000000000000000"),
		AnomalyNonzeroOptions:       header("650000000000000000000000000000000000000001000000"),
		AnomalyUnknownItem:          items("010099000000"),
		AnomalyTrailingBytes:        items("0000ff"),
		AnomalyUnknownService:       conn(rr(1, "4c0220012401")),
		AnomalyUnknownSegment:       Path(mustHex("e0")).Target().Anomalies,
		AnomalyUnknownGeneralStatus: conn(rr(1, "0e03200124013007"), rr(1, "8e007700")),
		AnomalyUnknownDataType:      conn(rr(1, "4d0391034d6f7400"+"99000100"+"2a000000")),
		AnomalyItemCount:            items("0200b2000000"),
		AnomalyUnmatchedResponse:    conn(rr(1, "8e000000")),
		AnomalyMismatchedResponse:   conn(rr(1, "0e03200124013007"), rr(1, "81000000")),
		AnomalyPendingOverflow:      overflow(),
		AnomalyDuplicateRequest:     conn(rr(1, "0e03200124013007"), rr(1, "0e03200124013007")),
		AnomalyContextTruncated:     conn(rr(1, longPath)),
	}
	for i := 0; i < numAnomalies; i++ {
		flag := Anomaly(1) << i
		got, ok := cases[flag]
		require.True(t, ok, "no input for %s", flag)
		require.True(t, got.Has(flag), "%s: got %s", flag, got)
	}
	require.Len(t, cases, numAnomalies)
}

// TestEverySentinelProduced shows each sentinel error being returned by
// the package.
func TestEverySentinelProduced(t *testing.T) {
	_, _, errTruncated := Parse(mustHex("6f00"))
	msp := NewCIPMessages(mustHex("01000900"))
	msp.Next()
	segs := Path(mustHex("9109414243")).Segments()
	segs.Next()
	notMSP := CIPMessage{Service: SvcGetAttributeSingle}
	multiple := notMSP.Multiple()
	count := NewCIPMessages(mustHex("0900ffff"))
	for want, got := range map[Error]error{
		ErrTruncated: errTruncated,
		ErrLength:    msp.Err(),
		ErrSegment:   segs.Err(),
		ErrService:   multiple.Err(),
		ErrCount:     count.Err(),
	} {
		require.ErrorIs(t, got, want)
	}
}

var unknownForm = regexp.MustCompile(`^[a-z ]+ 0x[0-9a-f]+$`)

// enumText checks the text contract of an enum over values: a known value
// prints a name (never the unknown form), an unknown one "<noun> 0x..",
// and AppendText agrees with String.
func enumText(t *testing.T, name string, n int, known func(int) bool, str func(int) string, app func(int, []byte) ([]byte, error)) {
	t.Helper()
	for v := 0; v < n; v++ {
		s := str(v)
		b, err := app(v, nil)
		require.NoError(t, err)
		require.Equal(t, s, string(b), "%s %#x", name, v)
		if known(v) {
			require.False(t, unknownForm.MatchString(s), "%s %#x is known but prints %q", name, v, s)
		} else {
			require.Regexp(t, unknownForm, s, "%s %#x", name, v)
		}
	}
}

func TestEnumText(t *testing.T) {
	enumText(t, "Command", 0x1000, func(v int) bool { return Command(v).Known() },
		func(v int) string { return Command(v).String() }, func(v int, b []byte) ([]byte, error) { return Command(v).AppendText(b) })
	enumText(t, "Status", 0x200, func(v int) bool { return Status(v).Known() },
		func(v int) string { return Status(v).String() }, func(v int, b []byte) ([]byte, error) { return Status(v).AppendText(b) })
	enumText(t, "ItemType", 0x1000, func(v int) bool { return ItemType(v).Known() },
		func(v int) string { return ItemType(v).String() }, func(v int, b []byte) ([]byte, error) { return ItemType(v).AppendText(b) })
	enumText(t, "Service", 0x100, func(v int) bool { return Service(v).Known() },
		func(v int) string { return Service(v).String() }, func(v int, b []byte) ([]byte, error) { return Service(v).AppendText(b) })
	enumText(t, "GeneralStatus", 0x100, func(v int) bool { return GeneralStatus(v).Known() },
		func(v int) string { return GeneralStatus(v).String() }, func(v int, b []byte) ([]byte, error) { return GeneralStatus(v).AppendText(b) })
	enumText(t, "ExtendedStatus", 0x1000, func(v int) bool { return ExtendedStatus(v).Known() },
		func(v int) string { return ExtendedStatus(v).String() }, func(v int, b []byte) ([]byte, error) { return ExtendedStatus(v).AppendText(b) })
	enumText(t, "DataType", 0x1000, func(v int) bool { return DataType(v).Known() },
		func(v int) string { return DataType(v).String() }, func(v int, b []byte) ([]byte, error) { return DataType(v).AppendText(b) })
	enumText(t, "Class", 0x1000, func(v int) bool { return Class(v).Known() },
		func(v int) string { return Class(v).String() }, func(v int, b []byte) ([]byte, error) { return Class(v).AppendText(b) })
	enumText(t, "VendorID", 0x1000, func(v int) bool { return VendorID(v).Known() },
		func(v int) string { return VendorID(v).String() }, func(v int, b []byte) ([]byte, error) { return VendorID(v).AppendText(b) })
	enumText(t, "DeviceType", 0x1000, func(v int) bool { return DeviceType(v).Known() },
		func(v int) string { return DeviceType(v).String() }, func(v int, b []byte) ([]byte, error) { return DeviceType(v).AppendText(b) })
	enumText(t, "SegmentType", 0x100, func(v int) bool { return SegmentType(v) <= SegReserved },
		func(v int) string { return SegmentType(v).String() }, func(v int, b []byte) ([]byte, error) { return SegmentType(v).AppendText(b) })
	enumText(t, "LogicalType", 0x100, func(v int) bool { return LogicalType(v).Known() },
		func(v int) string { return LogicalType(v).String() }, func(v int, b []byte) ([]byte, error) { return LogicalType(v).AppendText(b) })
	enumText(t, "Context", 0x100, func(v int) bool { return Context(v).Known() },
		func(v int) string { return Context(v).String() }, func(v int, b []byte) ([]byte, error) { return Context(v).AppendText(b) })
	enumText(t, "Operation", 0x100, func(v int) bool { return Operation(v).Known() },
		func(v int) string { return Operation(v).String() }, func(v int, b []byte) ([]byte, error) { return Operation(v).AppendText(b) })

	// Every named constant is known.
	for _, v := range []Command{CmdNOP, CmdListTargets, CmdLegacy2, CmdLegacy3, CmdListServices, CmdListIdentity,
		CmdListInterfaces, CmdRegisterSession, CmdUnRegisterSession, CmdSendRRData, CmdSendUnitData,
		CmdIndicateStatus, CmdCancel, CmdStartDTLS} {
		require.True(t, v.Known(), "%v", v)
	}
	for _, v := range []Service{SvcForwardClose, SvcUnconnectedSend, SvcForwardOpen, SvcGetConnectionData,
		SvcSearchConnectionData, SvcGetConnectionOwner, SvcLargeForwardOpen, SvcReadTag, SvcWriteTag,
		SvcReadModifyWriteTag, SvcReadTagFragmented, SvcWriteTagFragmented, SvcGetInstanceAttributeList,
		SvcReadTemplate, SvcInitiateUpload, SvcInitiateDownload, SvcInitiatePartialRead, SvcInitiatePartialWrite,
		SvcUploadTransfer, SvcDownloadTransfer, SvcClearFile, SvcExecutePCCC, SvcGetConnectionPointMemberList} {
		require.True(t, v.Known(), "%v", v)
	}
	for _, v := range []Class{ClassIdentity, ClassMessageRouter, ClassAssembly, ClassConnectionManager, ClassFile,
		ClassTimeSync, ClassPCCC, ClassSymbol, ClassTemplate, ClassPort, ClassTCPIP, ClassEthernetLink} {
		require.True(t, v.Known(), "%v", v)
	}
	for _, v := range []VendorID{VendorRockwell, VendorSchneider, VendorSiemens} {
		require.True(t, v.Known(), "%v", v)
	}
	for _, v := range []DeviceType{DeviceGeneric, DeviceACDrive, DeviceCommunicationsAdapter, DevicePLC, DeviceHMI,
		DeviceManagedSwitch, DeviceEmbeddedComponent} {
		require.True(t, v.Known(), "%v", v)
	}
	for _, v := range []ExtendedStatus{ExtConnectionInUse, ExtTargetConnectionNotFound, ExtUnconnectedTimeout,
		ExtPortNotAvailable, ExtLinkAddressNotValid} {
		require.True(t, v.Known(), "%v", v)
	}
	for _, v := range []GeneralStatus{StatusOK, StatusConnectionFailure, StatusPathSegmentError, StatusPathUnknown,
		StatusPartialTransfer, StatusServiceNotSupported, StatusPrivilegeViolation, StatusEmbeddedServiceErr,
		StatusVendorSpecific} {
		require.True(t, v.Known(), "%v", v)
	}
	require.GreaterOrEqual(t, countKnownVendors(), 1300, "the ODVA vendor list")
}

func countKnownVendors() int {
	n := 0
	for v := 0; v < 0x10000; v++ {
		if VendorID(v).Known() {
			n++
		}
	}
	return n
}

func TestExplain(t *testing.T) {
	for _, v := range allVectors() {
		require.NoError(t, Explain(v))
	}
	require.ErrorIs(t, Explain(nil), ErrTruncated)
	cases := []struct {
		name   string
		pdu    []byte
		err    Error
		field  string
		offset int
	}{
		{"cut header", mustHex(hexListIdentityReply)[:10], ErrTruncated, "enip.status", 8},
		{"cut item", mustHex(hexReadTagRequest)[:50], ErrTruncated, "enip.cpf.data", 40},
		{"cut ListIdentity item", append(mustHex("63001a000000000000000000000000000000000000000000"+"01000c001400"),
			mustHex(hexListIdentityReply)[30:50]...), ErrTruncated, "enip.lir.devtype", 50},
		{"malformed segment", rr(1, "4c0291094142"), ErrSegment, "cip.path_segment", 42},
		{"service count", rr(1, "0a022002240109000600"), ErrCount, "cip.msp.num_services", 46},
		{"service offset", rr(1, "0a02200224010100ff00"), ErrLength, "cip.msp.offset", 48},
		{"embedded request", rr(1, "52022006240107f9ff00"), ErrTruncated, "cip.cm.msg_req", 50},
		{"route path", rr(1, "52022006240107f904000e0120010500"), ErrTruncated, "cip.cm.route_path", 56},
		{"Forward Open", rr(1, "540220062401079b"), ErrTruncated, "cip.cm.ot_connid", 48},
		{"reply status", rr(1, "8e0000"), ErrTruncated, "cip.addstat_size", 43},
		{"data length", mustHex(hexReadTagReply)[:48], ErrTruncated, "enip.cpf.data", 40},
		// Cut short with a malformed segment in the bytes there are: Parse
		// says truncated, and so does Explain, at the length that claims
		// more.
		{"cut with a malformed segment", func() []byte {
			b := rr(1, "4c0291094142")
			b[2] += 16
			return b
		}(), ErrTruncated, "enip.length", 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := Explain(c.pdu)
			var fe *FieldError
			require.True(t, errors.As(err, &fe), "%v", err)
			require.Equal(t, c.err, fe.Err)
			require.Equal(t, c.field, fe.Field)
			require.Equal(t, c.offset, fe.Offset)
			require.ErrorIs(t, err, c.err)
			require.Contains(t, err.Error(), c.field)
		})
	}
}
