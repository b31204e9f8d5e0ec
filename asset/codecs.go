package asset

// decodeAt decodes element i of v with the protocol decoder its codec names.
// i is in range.
func decodeAt(v Values, i int) (Value, bool) {
	switch v.codec {
	}
	return Value{}, false
}

// typeName names the protocol type code typ of codec c.
func typeName(c codec, typ uint16) string {
	switch c {
	}
	return ""
}

// FunctionName returns the protocol's name of function code code (the
// Meta.Function of its events), or "" when the protocol is unknown.
func FunctionName(p Protocol, code uint16) string {
	switch p {
	}
	return ""
}
