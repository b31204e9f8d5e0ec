package enip

// Anomaly is a bitset of oddities found while decoding. Anomalies are not
// errors: decoding goes on and the values are kept.
type Anomaly uint32

// Anomaly flags.
const (
	// AnomUnknownCommand: the encapsulation command is not defined.
	AnomUnknownCommand Anomaly = 1 << iota
	// AnomUnknownStatus: the encapsulation status is not defined.
	AnomUnknownStatus
	// AnomOptions: the encapsulation options field is not zero.
	AnomOptions
	// AnomUnknownItem: a CPF item type is not defined.
	AnomUnknownItem
	// AnomTrailing: bytes are left after the structure that should fill
	// the data.
	AnomTrailing
	// AnomUnknownService: a CIP service code is not known for its class.
	AnomUnknownService
	// AnomUnknownSegment: an EPATH holds a reserved segment type or format.
	AnomUnknownSegment
	// AnomUnknownGeneralStatus: a CIP general status code is not defined.
	AnomUnknownGeneralStatus
	// AnomUnknownDataType: a data type code is not an elementary type or a
	// structure marker.
	AnomUnknownDataType
	// AnomItemCount: the CPF item count disagrees with the items present.
	AnomItemCount
	numAnomalies = iota
)

var anomalyNames = [numAnomalies]string{
	"unknown_command",
	"unknown_status",
	"nonzero_options",
	"unknown_item",
	"trailing_bytes",
	"unknown_service",
	"unknown_segment",
	"unknown_general_status",
	"unknown_data_type",
	"item_count",
}

// String returns the name of a single flag, or "multiple"/"none". It does
// not allocate.
func (a Anomaly) String() string {
	if a == 0 {
		return "none"
	}
	if a&(a-1) != 0 {
		return "multiple"
	}
	for i := 0; i < numAnomalies; i++ {
		if a == 1<<i {
			return anomalyNames[i]
		}
	}
	return "unknown"
}

// Has reports whether every flag of x is set in a.
func (a Anomaly) Has(x Anomaly) bool { return a&x == x }

// Each calls fn with each set flag in order, lowest first. It does not
// allocate unless fn does.
func (a Anomaly) Each(fn func(Anomaly)) {
	for i := 0; i < numAnomalies; i++ {
		if a&(1<<i) != 0 {
			fn(1 << i)
		}
	}
}
