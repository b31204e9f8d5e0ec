package dnp3

// Error is a decoding error. The package's errors are the constants below;
// compare with == or errors.Is. Returning one as an error does not allocate.
type Error uint8

// Errors returned by the decoders.
const (
	// ErrTruncated: the input ends before the structure it announces.
	ErrTruncated Error = iota + 1
	// ErrStart: a link frame does not begin with the start bytes 0x05 0x64.
	ErrStart
	// ErrLength: a link length byte below 5, or an application fragment
	// shorter than its header.
	ErrLength
	// ErrHeaderCRC: the CRC of the 8-byte link header does not match.
	ErrHeaderCRC
	// ErrCRC: the CRC of a user data block does not match.
	ErrCRC
	// ErrNoUserData: a link frame carries no transport segment.
	ErrNoUserData
	// ErrUnknownObject: an object group and variation whose size is not
	// known, so the rest of the fragment cannot be walked.
	ErrUnknownObject
	// ErrQualifier: a reserved qualifier code (range code 10 or 12-15,
	// prefix code 7, or free format without a size prefix).
	ErrQualifier
	// ErrRange: a start-stop range whose stop is below its start.
	ErrRange
	// ErrOverflow: a fragment larger than the reassembly buffer.
	ErrOverflow
	numErrors
)

var errorText = [numErrors]string{
	"dnp3: no error",
	"dnp3: truncated",
	"dnp3: bad start bytes",
	"dnp3: bad length",
	"dnp3: bad header CRC",
	"dnp3: bad data block CRC",
	"dnp3: no user data",
	"dnp3: unknown object group/variation",
	"dnp3: reserved qualifier code",
	"dnp3: range stop below start",
	"dnp3: fragment overflows buffer",
}

// Error returns the error's text. It does not allocate.
func (e Error) Error() string {
	if e < numErrors {
		return errorText[e]
	}
	return "dnp3: unknown error"
}

// Anomaly is a set of oddities seen while decoding. Anomalies are not
// errors: decoding goes on.
type Anomaly uint32

// Anomaly flags.
const (
	// AnomalyOutOfSequence: a transport segment whose sequence number does
	// not follow the previous one; the fragment in progress is dropped.
	AnomalyOutOfSequence Anomaly = 1 << iota
	// AnomalyMissingFIR: a transport segment without FIR while no fragment
	// is in progress; it is dropped.
	AnomalyMissingFIR
	// AnomalyOverflow: a fragment grew past the reassembly buffer; it is
	// dropped.
	AnomalyOverflow
	// AnomalyRestart: a FIR segment arrived while a fragment was in
	// progress; the old fragment is dropped.
	AnomalyRestart
	// AnomalyDuplicate: a transport segment repeated the previous sequence
	// number; it is ignored.
	AnomalyDuplicate
	// AnomalyUnknownObject: an object group/variation of unknown size
	// stopped the walk of the fragment.
	AnomalyUnknownObject
	// AnomalyQualifier: a reserved qualifier, prefix or range code.
	AnomalyQualifier
	// AnomalyRange: a range whose stop is below its start.
	AnomalyRange
	// AnomalyCountOnEmpty: objects that carry no data (class data, default
	// variations) announced with a non-zero count.
	AnomalyCountOnEmpty
	// AnomalyLinkFunction: a reserved link-layer function code.
	AnomalyLinkFunction
	// AnomalyAppFunction: an application function code outside the
	// defined ones.
	AnomalyAppFunction
	// AnomalyIINReserved: reserved IIN bits set.
	AnomalyIINReserved
	// AnomalyAttribute: a device attribute (group 0) of unknown data type.
	AnomalyAttribute
	numAnomalies = iota
)

var anomalyText = [numAnomalies]string{
	"out_of_sequence",
	"missing_fir",
	"overflow",
	"restart",
	"duplicate",
	"unknown_object",
	"qualifier",
	"range",
	"count_on_empty",
	"link_function",
	"app_function",
	"iin_reserved",
	"attribute",
}

// String names a single anomaly flag ("out_of_sequence", ...); for a set
// or an unknown bit it returns "multiple" or "unknown". It does not allocate.
func (a Anomaly) String() string {
	for i := range numAnomalies {
		if a == 1<<i {
			return anomalyText[i]
		}
	}
	if a == 0 {
		return "none"
	}
	if a&(a-1) != 0 {
		return "multiple"
	}
	return "unknown"
}

// Has reports whether every flag of f is set in a.
func (a Anomaly) Has(f Anomaly) bool { return a&f == f }

// Each calls fn with each flag set in a, lowest first. It does not
// allocate.
func (a Anomaly) Each(fn func(Anomaly)) {
	for a != 0 {
		f := a & -a
		fn(f)
		a &^= f
	}
}
