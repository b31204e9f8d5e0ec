package iec104

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// checker is a small assertion helper in the style of testify's assert
// (fatal false) and require (fatal true).
type checker struct{ fatal bool }

var (
	assert  = checker{}
	require = checker{fatal: true}
)

func msg(args []any) string {
	if len(args) == 0 {
		return ""
	}
	if f, ok := args[0].(string); ok && strings.Contains(f, "%") {
		return ": " + fmt.Sprintf(f, args[1:]...)
	}
	return ": " + fmt.Sprint(args...)
}

func (c checker) fail(t testing.TB, s string, args []any) {
	t.Helper()
	if c.fatal {
		t.Fatal(s + msg(args))
	}
	t.Error(s + msg(args))
}

func (c checker) Equal(t testing.TB, want, got any, args ...any) {
	t.Helper()
	if d := cmp.Diff(want, got, cmp.Exporter(func(reflect.Type) bool { return true })); d != "" {
		c.fail(t, "not equal (-want +got):\n"+d, args)
	}
}

func (c checker) NotEqual(t testing.TB, a, b any, args ...any) {
	t.Helper()
	if reflect.DeepEqual(a, b) {
		c.fail(t, fmt.Sprintf("both are %v", a), args)
	}
}

func (c checker) True(t testing.TB, v bool, args ...any) {
	t.Helper()
	if !v {
		c.fail(t, "not true", args)
	}
}

func (c checker) False(t testing.TB, v bool, args ...any) {
	t.Helper()
	if v {
		c.fail(t, "not false", args)
	}
}

func (c checker) NoError(t testing.TB, err error, args ...any) {
	t.Helper()
	if err != nil {
		c.fail(t, "error: "+err.Error(), args)
	}
}

func (c checker) ErrorIs(t testing.TB, err, target error, args ...any) {
	t.Helper()
	if !errors.Is(err, target) {
		c.fail(t, fmt.Sprintf("error %v, want %v", err, target), args)
	}
}

func (c checker) Len(t testing.TB, v any, n int, args ...any) {
	t.Helper()
	if l := reflect.ValueOf(v).Len(); l != n {
		c.fail(t, fmt.Sprintf("length %d, want %d", l, n), args)
	}
}

func (c checker) Nil(t testing.TB, v any, args ...any) {
	t.Helper()
	if v != nil && !reflect.ValueOf(v).IsNil() {
		c.fail(t, fmt.Sprintf("%v is not nil", v), args)
	}
}

func (c checker) NotNil(t testing.TB, v any, args ...any) {
	t.Helper()
	if v == nil || reflect.ValueOf(v).IsNil() {
		c.fail(t, "nil", args)
	}
}

func (c checker) NotZero(t testing.TB, v any, args ...any) {
	t.Helper()
	if reflect.ValueOf(v).IsZero() {
		c.fail(t, "zero", args)
	}
}

func (c checker) GreaterOrEqual(t testing.TB, a, b int, args ...any) {
	t.Helper()
	if a < b {
		c.fail(t, fmt.Sprintf("%d < %d", a, b), args)
	}
}

func (c checker) InDelta(t testing.TB, want float64, got float32, delta float64, args ...any) {
	t.Helper()
	if math.Abs(want-float64(got)) > delta {
		c.fail(t, fmt.Sprintf("%v not within %v of %v", got, delta, want), args)
	}
}

// NotContains fails when list (a []string) holds v or when string list
// contains v.
func (c checker) NotContains(t testing.TB, list any, v string, args ...any) {
	t.Helper()
	switch l := list.(type) {
	case []string:
		for _, s := range l {
			if s == v {
				c.fail(t, "contains "+v, args)
			}
		}
	case string:
		if strings.Contains(l, v) {
			c.fail(t, "contains "+v, args)
		}
	}
}
