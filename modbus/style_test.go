package modbus

import (
	"testing"

	"github.com/icsdissect/icsdissect/internal/testkit"
)

// TestHouseRules checks that the package's non-test files import only the
// standard library's non-formatting packages and internal/wire, and use no
// fmt, errors.New, binary.Read, init functions or panics.
func TestHouseRules(t *testing.T) {
	testkit.HouseRules(t, ".", testkit.ProtocolImports...)
}
