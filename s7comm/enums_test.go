package s7comm

import "testing"

// TestKnownMatchesString checks that every known() agrees with String().
func TestKnownMatchesString(t *testing.T) {
	for i := 0; i < 256; i++ {
		v := uint8(i)
		if TPDUType(v).known() != (TPDUType(v).String() != "unknown") ||
			Function(v).known() != (Function(v).String() != "unknown") ||
			SyntaxID(v).known() != (SyntaxID(v).String() != "unknown") ||
			Area(v).known() != (Area(v).String() != "unknown") ||
			TransportSize(v).known() != (TransportSize(v).String() != "unknown") ||
			DataSize(v).known() != (DataSize(v).String() != "unknown") ||
			ReturnCode(v).known() != (ReturnCode(v).String() != "unknown") ||
			FuncGroup(v).known() != (FuncGroup(v).String() != "unknown") {
			t.Errorf("known() and String() disagree at %#x", v)
		}
	}
}
