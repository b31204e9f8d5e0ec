package asset

import (
	"testing"

	"github.com/icsdissect/icsdissect/internal/testkit"
	"github.com/stretchr/testify/assert"
)

func TestODVANames(t *testing.T) {
	n, ok := VendorName(1)
	assert.True(t, ok)
	assert.Equal(t, "Rockwell Automation/Allen-Bradley", n)
	_, ok = VendorName(0xfffe)
	assert.False(t, ok)
	n, ok = DeviceTypeName(14)
	assert.True(t, ok)
	assert.Equal(t, "Programmable Logic Controller", n)
	n, ok = DeviceTypeName(12)
	assert.True(t, ok)
	assert.Equal(t, "Communications Adapter", n)
	_, ok = DeviceTypeName(0xfff0)
	assert.False(t, ok)
	n, ok = ClassName(0x01)
	assert.True(t, ok)
	assert.Equal(t, "Identity", n)
	n, _ = ClassName(0xf5)
	assert.Equal(t, "TCP/IP Interface", n)
	_, ok = ClassName(0x10000)
	assert.False(t, ok)
	testkit.ZeroAllocs(t, []testkit.AllocCase{{Name: "VendorName", Fn: func() { _, _ = VendorName(283) }}})
}
