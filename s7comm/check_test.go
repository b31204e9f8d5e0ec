package s7comm

import (
	"errors"
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// checker is a small assertion helper in the style of testify (the module's
// go.sum lacks testify's own dependencies); require stops the test on the
// first failure, assert goes on.
type checker struct{ fatal bool }

var (
	assert  = checker{}
	require = checker{fatal: true}
)

func (c checker) fail(t *testing.T, msg []any, format string, args ...any) {
	t.Helper()
	if len(msg) > 0 {
		format = "%v: " + format
		args = append([]any{msg[0]}, args...)
	}
	if c.fatal {
		t.Fatalf(format, args...)
	}
	t.Errorf(format, args...)
}

func (c checker) Equal(t *testing.T, want, got any, msg ...any) {
	t.Helper()
	if d := cmp.Diff(want, got); d != "" {
		c.fail(t, msg, "mismatch (-want +got):\n%s", d)
	}
}

func (c checker) True(t *testing.T, v bool, msg ...any) {
	t.Helper()
	if !v {
		c.fail(t, msg, "want true")
	}
}

func (c checker) False(t *testing.T, v bool, msg ...any) {
	t.Helper()
	if v {
		c.fail(t, msg, "want false")
	}
}

func (c checker) NoError(t *testing.T, err error, msg ...any) {
	t.Helper()
	if err != nil {
		c.fail(t, msg, "unexpected error %v", err)
	}
}

func (c checker) ErrorIs(t *testing.T, err, target error, msg ...any) {
	t.Helper()
	if !errors.Is(err, target) {
		c.fail(t, msg, "error %v, want %v", err, target)
	}
}

func (c checker) Len(t *testing.T, v any, n int, msg ...any) {
	t.Helper()
	if l := reflect.ValueOf(v).Len(); l != n {
		c.fail(t, msg, "length %d, want %d", l, n)
	}
}

func (c checker) Zero(t *testing.T, v any, msg ...any) {
	t.Helper()
	if !reflect.ValueOf(v).IsZero() {
		c.fail(t, msg, "%v is not zero", v)
	}
}

func (c checker) NotZero(t *testing.T, v any, msg ...any) {
	t.Helper()
	if reflect.ValueOf(v).IsZero() {
		c.fail(t, msg, "%v is zero", v)
	}
}

func (c checker) NotEmpty(t *testing.T, v any, msg ...any) {
	t.Helper()
	if reflect.ValueOf(v).Len() == 0 {
		c.fail(t, msg, "empty")
	}
}

func (c checker) Less(t *testing.T, a, b int, msg ...any) {
	t.Helper()
	if a >= b {
		c.fail(t, msg, "%d is not less than %d", a, b)
	}
}
