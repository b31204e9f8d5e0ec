package enip

import (
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// require is a small assertion helper in the style of testify's require
// (the module's go.sum lacks testify's own dependencies), built on go-cmp.
var require requireT

type requireT struct{}

func (requireT) Equal(t testing.TB, want, got any, msg ...any) {
	t.Helper()
	if !reflect.DeepEqual(want, got) {
		t.Fatalf("not equal %v (-want +got):\n%s", msg, cmp.Diff(want, got))
	}
}

func (requireT) NoError(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
}

func (requireT) True(t testing.TB, v bool, msg ...any) {
	t.Helper()
	if !v {
		t.Fatalf("want true %v", msg)
	}
}

func (requireT) False(t testing.TB, v bool, msg ...any) {
	t.Helper()
	if v {
		t.Fatalf("want false %v", msg)
	}
}

func (requireT) Len(t testing.TB, obj any, n int) {
	t.Helper()
	if l := reflect.ValueOf(obj).Len(); l != n {
		t.Fatalf("len %d, want %d", l, n)
	}
}

func (requireT) Zero(t testing.TB, v any) {
	t.Helper()
	if v != nil && !reflect.ValueOf(v).IsZero() {
		t.Fatalf("want zero, got %v", v)
	}
}

func (requireT) Nil(t testing.TB, v any) {
	t.Helper()
	if v == nil {
		return
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Slice, reflect.Map, reflect.Pointer, reflect.Interface, reflect.Func, reflect.Chan:
		if rv.IsNil() {
			return
		}
	}
	t.Fatalf("want nil, got %v", v)
}

func (requireT) NotEmpty(t testing.TB, s string) {
	t.Helper()
	if s == "" {
		t.Fatal("want non-empty string")
	}
}

func (requireT) NotContains(t testing.TB, haystack, needle any, msg ...any) {
	t.Helper()
	switch h := haystack.(type) {
	case []string:
		for _, x := range h {
			if x == needle {
				t.Fatalf("%v contains %v %v", h, needle, msg)
			}
		}
	case string:
		if n, ok := needle.(string); ok && len(n) > 0 && contains(h, n) {
			t.Fatalf("text contains %q %v", n, msg)
		}
	}
}

func contains(h, n string) bool {
	for i := 0; i+len(n) <= len(h); i++ {
		if h[i:i+len(n)] == n {
			return true
		}
	}
	return false
}
