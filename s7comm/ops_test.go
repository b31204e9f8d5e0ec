package s7comm

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestOperations(t *testing.T) {
	cases := []struct {
		sample string
		op     Operation
		class  OpClass
	}{
		{"setupJob", OpSetupComm, ClassOther},
		{"readJob1", OpReadVar, ClassRead},
		{"readAck1", OpReadVar, ClassRead},
		{"writeJob5", OpWriteVar, ClassWrite},
		{"plcStop", OpPLCStop, ClassControl},
		{"piProgram", OpPLCStart, ClassControl},
		{"piModu", OpCopyRAMToROM, ClassProgram},
		{"piInse", OpActivateBlock, ClassProgram},
		{"startUpload", OpStartUpload, ClassProgram},
		{"uploadAck", OpUpload, ClassProgram},
		{"clockResp", OpReadClock, ClassTimeSync},
		{"clockSet", OpSetClock, ClassTimeSync},
		{"szl11Req", OpReadSZL, ClassIdentity},
		{"szl1cFrag1", OpReadSZL, ClassIdentity},
		{"szl424Req", OpReadSZL, ClassDiagnostics},
		{"listBlocks", OpListBlocks, ClassProgram},
		{"diagMsg", OpDiagnostic, ClassDiagnostics},
		{"alarmQuery", OpAlarm, ClassDiagnostics},
		{"cyclicReq", OpCyclicData, ClassRead},
		{"modifyVar", OpProgrammerWrite, ClassWrite},
		{"varStatReq", OpProgrammerRead, ClassRead},
		{"enableJob", OpProgrammerControl, ClassControl},
		{"password", OpPassword, ClassAuthentication},
		{"downloadSDB", OpRequestDownload, ClassConfiguration},
	}
	for _, c := range cases {
		f := parseSample(t, c.sample)
		op, ok := f.PDU.Operation()
		assert.True(t, ok, c.sample)
		assert.Equal(t, c.op, op, c.sample)
		class, ok := f.PDU.Class()
		assert.True(t, ok, c.sample)
		assert.Equal(t, c.class, class, c.sample)
	}
	f := parseSample(t, "ackError")
	_, ok := f.PDU.Operation()
	assert.False(t, ok, "an ack without parameter says nothing")
	_, ok = f.PDU.Class()
	assert.False(t, ok)

	// Every operation has a class, and every class is reached.
	seen := map[OpClass]bool{}
	for op := Operation(1); op.Known(); op++ {
		assert.True(t, op.Class().Known(), op.String())
		seen[op.Class()] = true
	}
	seen[ClassConfiguration] = true // by PDU.Class, above
	for c := OpClass(1); c.Known(); c++ {
		assert.True(t, seen[c], c.String())
	}
	assert.Equal(t, ClassIdentity, SZLClass(0x0111))
	assert.Equal(t, ClassDiagnostics, SZLClass(0x00a0))
	for _, g := range []FuncGroup{GroupModeTransition, GroupPBCBSend, GroupNCProgramming, 9} {
		assert.True(t, udOperation(g, 1).Known())
	}
}
