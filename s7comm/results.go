package s7comm

// VarResult is one variable of a read or write exchange: the request's
// variable specification with the data read or written.
type VarResult struct {
	// Item is the request's variable specification: area, DB, byte and bit
	// offset or number, transport size and count.
	Item Item
	// Data is the data item the response returned (read var, cyclic data)
	// or the request carried (write var).
	Data DataItem
	// ReturnCode is the item's result: the data item's return code for a
	// read, the response's return code for a write (when Answered).
	ReturnCode ReturnCode
	// Answered is false for a write whose response is not known (an
	// unanswered request, or a response short of return codes).
	Answered bool
}

// Values returns the typed values of the variable (see [Values]).
func (r VarResult) Values() Values { return NewValues(r.Item, r.Data) }

// VarResults walks the variables of an exchange, each request item with
// its data, in order. It stops at the end of either list; a count that
// differs between them sets AnomalyItemCount.
type VarResults struct {
	items    Items
	data     DataItems
	codes    ReturnCodes
	write    bool
	hasCodes bool
	done     bool
	i        int
	cur      VarResult
	an       Anomaly
}

// VarResults returns the variables of a paired read var or write var
// response, of an unanswered write var request (without return codes), and
// of a paired cyclic-data response or a cyclic-data push matched to its
// subscription (JobResult). For other messages it is empty. It does not
// allocate.
func (m *Message) VarResults() VarResults {
	if !m.Paired && !m.Unanswered && !m.JobResult {
		return VarResults{done: true}
	}
	req, resp := &m.Request, &m.Frame.PDU
	if req.ROSCTR == Job {
		fn, _ := req.Function()
		switch {
		case fn == FuncReadVar && m.Paired && resp.ROSCTR == AckData:
			return VarResults{items: req.Items(), data: resp.DataItems()}
		case fn == FuncWriteVar:
			r := VarResults{items: req.Items(), data: req.DataItems(), write: true}
			if m.Paired {
				r.codes, r.hasCodes = resp.WriteResults()
			}
			return r
		}
		return VarResults{done: true}
	}
	if c, ok := req.Cyclic(); ok && !m.Unanswered {
		if data, ok := resp.CyclicData(); ok {
			return VarResults{items: c.Items(), data: data}
		}
	}
	return VarResults{done: true}
}

// Next advances to the next variable.
func (r *VarResults) Next() bool {
	if r.done {
		return false
	}
	more := r.items.Next()
	if !more || !r.data.Next() {
		if more || r.data.Next() {
			r.an |= AnomalyItemCount
		}
		r.done = true
		return false
	}
	d := r.data.DataItem()
	r.cur = VarResult{Item: r.items.Item(), Data: d, ReturnCode: d.ReturnCode, Answered: true}
	if r.write {
		r.cur.ReturnCode, r.cur.Answered = r.codes.At(r.i)
		if !r.hasCodes {
			r.cur.Answered = false
		}
	}
	r.i++
	return true
}

// VarResult returns the current variable.
func (r *VarResults) VarResult() VarResult { return r.cur }

// Err returns the error of the request's items or of the data items, if
// either was cut short.
func (r *VarResults) Err() error {
	if err := r.items.Err(); err != nil {
		return err
	}
	return r.data.Err()
}

// Anomalies returns the anomalies of both lists and AnomalyItemCount when
// their counts differ.
func (r *VarResults) Anomalies() Anomaly { return r.an | r.items.Anomalies() | r.data.Anomalies() }

// TISResult is one variable of a programmer-command job: the address the
// job set up with the data read (variable status) or written (modify
// variable, force).
type TISResult struct {
	Addr VarAddr
	Data DataItem
	// ReturnCode is the data item's return code for variable status, the
	// push's return code for modify variable and force (when Answered).
	ReturnCode ReturnCode
	Answered   bool
}

// TISResults walks the variables of a programmer-command job result.
type TISResults struct {
	addrs    VarAddrs
	data     DataItems
	codes    ReturnCodes
	write    bool
	hasCodes bool
	done     bool
	i        int
	cur      TISResult
	an       Anomaly
}

// TISResults returns the variables of a programmer-command push matched to
// its job (JobResult): for variable status the job's addresses with the
// data the push carries; for modify variable and force the job's addresses
// and values with the push's return codes. For other messages it is empty.
// It does not allocate.
func (m *Message) TISResults() TISResults {
	if !m.JobResult && !m.Paired {
		return TISResults{done: true}
	}
	req, ok := m.Request.TIS()
	if !ok {
		return TISResults{done: true}
	}
	resp, ok := m.Frame.PDU.TIS()
	switch req.Subfunc {
	case SubTISVarStatus:
		if ok {
			return TISResults{addrs: req.Addresses(), data: resp.DataItems()}
		}
	case SubTISModifyVar, SubTISForce:
		r := TISResults{addrs: req.Addresses(), data: req.DataItems(), write: true}
		if ok {
			r.codes, r.hasCodes = resp.Results()
		}
		return r
	}
	return TISResults{done: true}
}

// Next advances to the next variable.
func (r *TISResults) Next() bool {
	if r.done {
		return false
	}
	more := r.addrs.Next()
	if !more || !r.data.Next() {
		if more || r.data.Next() {
			r.an |= AnomalyItemCount
		}
		r.done = true
		return false
	}
	d := r.data.DataItem()
	r.cur = TISResult{Addr: r.addrs.VarAddr(), Data: d, ReturnCode: d.ReturnCode, Answered: true}
	if r.write {
		r.cur.ReturnCode, r.cur.Answered = r.codes.At(r.i)
		if !r.hasCodes {
			r.cur.Answered = false
		}
	}
	r.i++
	return true
}

// TISResult returns the current variable.
func (r *TISResults) TISResult() TISResult { return r.cur }

// Err returns the error of the addresses or of the data items, if either
// was cut short.
func (r *TISResults) Err() error {
	if err := r.addrs.Err(); err != nil {
		return err
	}
	return r.data.Err()
}

// Anomalies returns AnomalyItemCount when the counts differ, with the data
// items' anomalies.
func (r *TISResults) Anomalies() Anomaly { return r.an | r.data.Anomalies() }
