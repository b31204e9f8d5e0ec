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
	n, _ = VendorName(vendorNames[len(vendorNames)-1].id)
	assert.Equal(t, vendorNames[len(vendorNames)-1].name, n)
	n, ok = DeviceTypeName(14)
	assert.True(t, ok)
	assert.Equal(t, "Programmable Logic Controller", n)
	n, ok = DeviceTypeName(12)
	assert.True(t, ok)
	assert.Equal(t, "Communications Adapter", n)
	n, ok = ClassName(0x01)
	assert.True(t, ok)
	assert.Equal(t, "Identity", n)
	n, _ = ClassName(0xf5)
	assert.Equal(t, "TCP/IP Interface", n)
	_, ok = ClassName(0x10000)
	assert.False(t, ok)
	for i := 1; i < len(vendorNames); i++ {
		if vendorNames[i-1].id >= vendorNames[i].id {
			t.Fatalf("vendorNames not sorted at %d", i)
		}
	}
	testkit.ZeroAllocs(t, []testkit.AllocCase{{Name: "VendorName", Fn: func() { _, _ = VendorName(283) }}})
}
