package dnp3

import (
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// checker is a small assertion helper in the style of testify's assert and
// require (the module's go.sum lacks testify's own dependencies), built on
// go-cmp. require stops the test on the first failure; assert goes on.
type checker struct{ fatal bool }

var (
	assert  = checker{}
	require = checker{fatal: true}
)

func (c checker) fail(t testing.TB, format string, args ...any) {
	t.Helper()
	if c.fatal {
		t.Fatalf(format, args...)
	}
	t.Errorf(format, args...)
}

func (c checker) Equal(t testing.TB, want, got any, msg ...any) {
	t.Helper()
	if d := cmp.Diff(want, got, cmp.Exporter(func(reflect.Type) bool { return true })); d != "" {
		c.fail(t, "%v (-want +got):\n%s", msg, d)
	}
}

func (c checker) True(t testing.TB, v bool, msg ...any) {
	t.Helper()
	if !v {
		c.fail(t, "expected true %v", msg)
	}
}

func (c checker) False(t testing.TB, v bool, msg ...any) {
	t.Helper()
	if v {
		c.fail(t, "expected false %v", msg)
	}
}

func (c checker) NoError(t testing.TB, err error, msg ...any) {
	t.Helper()
	if err != nil {
		c.fail(t, "unexpected error %v %v", err, msg)
	}
}

func isZero(v any) bool {
	if v == nil {
		return true
	}
	r := reflect.ValueOf(v)
	switch r.Kind() {
	case reflect.Slice, reflect.Map, reflect.Pointer, reflect.Interface:
		return r.IsNil()
	}
	return r.IsZero()
}

func (c checker) Nil(t testing.TB, v any, msg ...any) {
	t.Helper()
	if !isZero(v) {
		c.fail(t, "expected nil, got %v %v", v, msg)
	}
}

func (c checker) Zero(t testing.TB, v any, msg ...any) {
	t.Helper()
	if !isZero(v) {
		c.fail(t, "expected zero, got %v %v", v, msg)
	}
}

func (c checker) NotEmpty(t testing.TB, v any, msg ...any) {
	t.Helper()
	if isZero(v) {
		c.fail(t, "expected non-empty %v", msg)
	}
}

func (c checker) Len(t testing.TB, v any, n int, msg ...any) {
	t.Helper()
	if l := reflect.ValueOf(v).Len(); l != n {
		c.fail(t, "expected length %d, got %d %v", n, l, msg)
	}
}

func (c checker) Positive(t testing.TB, v int, msg ...any) {
	t.Helper()
	if v <= 0 {
		c.fail(t, "expected positive, got %d %v", v, msg)
	}
}

// TestInfoTables checks that the typeInfo tables agree with typeInfoOf
// for every group and variation.
func TestInfoTables(t *testing.T) {
	for g := range 256 {
		for v := range 256 {
			if got, want := infoOf(uint8(g), uint8(v)), typeInfoOf(uint8(g), uint8(v)); got != want {
				t.Fatalf("g%dv%d: infoOf %#x, typeInfoOf %#x", g, v, got, want)
			}
		}
	}
}
