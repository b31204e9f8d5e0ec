package asset

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// enumCase is one enum type's methods, for the table below.
type enumCase struct {
	name    string
	n       int // values 0..n-1 are known
	known   func(int) bool
	str     func(int) string
	appendT func([]byte, int) ([]byte, error)
	unknown string // String of value n
}

func enumCases() []enumCase {
	return []enumCase{
		{"Protocol", int(numProtocols), func(i int) bool { return Protocol(i).Known() || i == 0 },
			func(i int) string { return Protocol(i).String() },
			func(b []byte, i int) ([]byte, error) { return Protocol(i).AppendText(b) }, "protocol 0x06"},
		{"Operation", int(numOperations), func(i int) bool { return Operation(i).Known() },
			func(i int) string { return Operation(i).String() },
			func(b []byte, i int) ([]byte, error) { return Operation(i).AppendText(b) }, "operation 0x0c"},
		{"Action", int(numActions), func(i int) bool { return Action(i).Known() },
			func(i int) string { return Action(i).String() },
			func(b []byte, i int) ([]byte, error) { return Action(i).AppendText(b) }, ""},
		{"Space", int(numSpaces), func(i int) bool { return Space(i).Known() },
			func(i int) string { return Space(i).String() },
			func(b []byte, i int) ([]byte, error) { return Space(i).AppendText(b) }, ""},
		{"Kind", int(numKinds), func(i int) bool { return Kind(i).Known() },
			func(i int) string { return Kind(i).String() },
			func(b []byte, i int) ([]byte, error) { return Kind(i).AppendText(b) }, ""},
		{"Field", int(numFields), func(i int) bool { return Field(i).Known() },
			func(i int) string { return Field(i).String() },
			func(b []byte, i int) ([]byte, error) { return Field(i).AppendText(b) }, ""},
		{"ChangeKind", int(numChangeKinds), func(i int) bool { return ChangeKind(i).Known() },
			func(i int) string { return ChangeKind(i).String() },
			func(b []byte, i int) ([]byte, error) { return ChangeKind(i).AppendText(b) }, ""},
	}
}

func TestEnums(t *testing.T) {
	for _, c := range enumCases() {
		seen := map[string]bool{}
		for i := range c.n {
			assert.True(t, c.known(i), "%s %d known", c.name, i)
			s := c.str(i)
			assert.NotEmpty(t, s, "%s %d", c.name, i)
			assert.False(t, seen[s], "%s: duplicate name %q", c.name, s)
			seen[s] = true
			b, err := c.appendT([]byte("x"), i)
			require.NoError(t, err)
			assert.Equal(t, "x"+s, string(b))
		}
		assert.False(t, c.known(c.n), "%s %d unknown", c.name, c.n)
		s := c.str(c.n)
		assert.Contains(t, s, " 0x", c.name)
		if c.unknown != "" {
			assert.Equal(t, c.unknown, s)
		}
		b, _ := c.appendT(nil, c.n)
		assert.Equal(t, s, string(b))
	}
	assert.Equal(t, "tcp", TCP.String())
	assert.Equal(t, "transport 0x01", Transport(1).String())
}

func TestActionOperation(t *testing.T) {
	want := map[Action]Operation{
		ActionRead: OpRead, ActionReport: OpRead, ActionInterrogation: OpRead,
		ActionWrite: OpWrite, ActionSelect: OpWrite, ActionDirectOperateNoAck: OpWrite, ActionCommand: OpWrite,
		ActionStop: OpControl, ActionColdRestart: OpControl, ActionUnlock: OpControl,
		ActionDownload: OpProgram, ActionCopyRAMToROM: OpProgram, ActionListBlocks: OpProgram,
		ActionFirmwareUpdate: OpFirmware,
		ActionSetConfig:      OpConfig, ActionAssignClass: OpConfig,
		ActionSetTime: OpTimeSync, ActionDelayMeasure: OpTimeSync,
		ActionFileOpen: OpFile, ActionFileClose: OpFile, ActionFileTransfer: OpFile,
		ActionLogin: OpAuth, ActionChallenge: OpAuth,
		ActionDiagnostics: OpDiagnostics, ActionClearCounters: OpDiagnostics,
		ActionReadIdentity: OpIdentity,
		ActionSessionStart: OpOther, ActionVendor: OpOther, ActionFreeze: OpOther, ActionNone: OpOther,
	}
	for a, op := range want {
		assert.Equal(t, op, a.Operation(), a.String())
	}
	assert.True(t, ActionStop.Changes())
	assert.False(t, ActionUpload.Changes())
	assert.False(t, ActionRead.Changes())
}

func TestFlags(t *testing.T) {
	assert.Equal(t, "", Flags(0).String())
	assert.Equal(t, "paired", FlagPaired.String())
	assert.Equal(t, "paired|exception", (FlagPaired | FlagException).String())
	assert.Equal(t, "routed|bit15", (FlagRouted | 1<<15).String())
	assert.True(t, (FlagPaired | FlagGap).Has(FlagGap))
	var got []Flags
	for f := range (FlagUnanswered | FlagPaired | FlagRouted).All {
		got = append(got, f)
	}
	assert.Equal(t, []Flags{FlagPaired, FlagUnanswered, FlagRouted}, got)
}

func TestEndpoint(t *testing.T) {
	e := Endpoint{Addr: mustAddr("10.0.0.1"), Port: 502, MAC: MAC{0, 0x1d, 0x9c, 0xc7, 0xb0, 0x70}}
	assert.Equal(t, "10.0.0.1:502", e.String())
	assert.Equal(t, "00:1d:9c:c7:b0:70", e.MAC.String())
	assert.Equal(t, "00-1D-9C-C7-B0-70", string(e.MAC.appendECS(nil)))
	assert.Equal(t, "", MAC{}.String())
	assert.Equal(t, "[fe80::1]:20000", Endpoint{Addr: mustAddr("fe80::1"), Port: 20000}.String())
	assert.Equal(t, "server", RoleName(Modbus, RoleServer))
	assert.Equal(t, "outstation", RoleName(DNP3, RoleServer))
	assert.Equal(t, "master", RoleName(DNP3, RoleClient))
	assert.Equal(t, "controlling", RoleName(IEC104, RoleClient))
}
