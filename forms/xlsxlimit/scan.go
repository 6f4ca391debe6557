package xlsxlimit

import (
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"strings"

	"golang.org/x/net/html/charset"
)

// The kinds of part that have limits of their own, told by their root
// element, whatever the part is named.
const (
	kindOther = iota
	kindWorksheet
	kindSharedStrings
	kindWorkbook
	kindRelationships
)

// partScan is the state of one part's scan.
type partScan struct {
	c        *checker
	part     string // as named in the archive
	sheet    string // the sheet's name, for a worksheet the workbook names
	kind     int
	elements int
	stack    []string // local names of the open elements

	rows, row, col int // rows seen; the current row and cell
	cell           *unit
	si             *unit
}

// unit is a cell or a shared string being read: its elements and text.
type unit struct {
	elements int
	text     int
	value    bool // it has a value or a formula
}

// scan reads one XML part token by token, checking ctx every few thousand
// tokens.
func (c *checker) scan(part string, r io.Reader) error {
	s := &partScan{c: c, part: part, sheet: c.sheetOf[partName(part)]}
	guard := &runGuard{r: r, max: max(minRunBytes, 8*c.lim.MaxCellBytes)}
	dec := xml.NewDecoder(guard)
	dec.CharsetReader = charset.NewReaderLabel // as excelize reads them
	for n := 1; ; n++ {
		if n%4096 == 0 {
			if err := c.ctx.Err(); err != nil {
				return err
			}
		}
		tok, err := dec.RawToken()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			if errors.Is(err, errLongRun) {
				return s.limit("text length", "the part "+part+" holds a text or tag longer than "+size(int64(guard.max))+
					" (limit "+size(int64(guard.max))+")")
			}
			return &UnreadableError{Part: part, Err: err}
		}
		switch t := tok.(type) {
		case xml.StartElement:
			err = s.start(t)
		case xml.EndElement:
			err = s.end()
		case xml.CharData:
			err = s.text(len(t))
		}
		if err != nil {
			return err
		}
	}
}

// start counts an element and dispatches it by the part's kind.
func (s *partScan) start(t xml.StartElement) error {
	s.elements++
	s.c.counts.Elements++
	if s.c.counts.Elements > s.c.lim.MaxElements {
		return s.limit("MaxElements", "the workbook holds more than "+thousands(s.c.lim.MaxElements)+
			" XML elements (limit "+thousands(s.c.lim.MaxElements)+")")
	}
	if len(s.stack) == 0 && s.elements == 1 {
		if err := s.root(t.Name.Local); err != nil {
			return err
		}
	}
	if s.kind == kindSharedStrings && s.elements > s.c.lim.MaxSharedStringElements {
		return s.limit("MaxSharedStringElements", "the workbook's shared strings hold more than "+
			thousands(s.c.lim.MaxSharedStringElements)+" XML elements (limit "+thousands(s.c.lim.MaxSharedStringElements)+")")
	}
	if s.kind != kindWorksheet && s.kind != kindSharedStrings && s.elements > s.c.lim.MaxPartElements {
		return s.limit("MaxPartElements", "the part "+s.part+" holds more than "+thousands(s.c.lim.MaxPartElements)+
			" XML elements (limit "+thousands(s.c.lim.MaxPartElements)+")")
	}
	if len(s.stack) == maxDepth {
		return s.limit("depth", "the part "+s.part+" nests XML elements more than "+strconv.Itoa(maxDepth)+" deep (limit "+strconv.Itoa(maxDepth)+")")
	}
	s.stack = append(s.stack, t.Name.Local)
	if u := s.current(); u != nil {
		u.elements++
		if u.elements > maxCellElements {
			return s.limit("cell elements", "the "+s.unitName()+" holds more than "+thousands(maxCellElements)+
				" XML elements (limit "+thousands(maxCellElements)+")")
		}
		if t.Name.Local == "f" {
			u.value = true
		}
	}
	switch s.kind {
	case kindWorksheet:
		return s.worksheetStart(t)
	case kindSharedStrings:
		return s.sharedStringStart(t)
	case kindWorkbook:
		return s.workbookStart(t)
	case kindRelationships:
		s.relationship(t)
	}
	return nil
}

// root learns the part's kind from its first element.
func (s *partScan) root(local string) error {
	switch local {
	case "worksheet":
		s.kind = kindWorksheet
		s.c.worksheets++
		if s.c.worksheets > s.c.lim.MaxSheets {
			return s.tooManySheets()
		}
	case "sst":
		s.kind = kindSharedStrings
	case "workbook":
		s.kind = kindWorkbook
	case "Relationships":
		s.kind = kindRelationships
	}
	return nil
}

// end closes the innermost element.
func (s *partScan) end() error {
	if len(s.stack) == 0 {
		return nil // RawToken does not match tags: the real reader will refuse it
	}
	local := s.stack[len(s.stack)-1]
	s.stack = s.stack[:len(s.stack)-1]
	switch {
	case s.kind == kindWorksheet && local == "c" && s.cell != nil:
		cell := s.cell
		s.cell = nil
		if cell.value && s.col > s.c.lim.MaxColumns {
			return s.limit("MaxColumns", "the row has a value in column "+ColumnName(min(s.col, 1<<20))+
				", beyond the "+thousands(s.c.lim.MaxColumns)+" columns read (limit "+thousands(s.c.lim.MaxColumns)+")")
		}
	case s.kind == kindSharedStrings && local == "si":
		s.si = nil
	}
	return nil
}

// text counts the text of a value, a formula or a string.
func (s *partScan) text(n int) error {
	u := s.current()
	if u == nil || n == 0 || len(s.stack) == 0 {
		return nil
	}
	switch s.stack[len(s.stack)-1] {
	case "v", "t", "f":
	default:
		return nil
	}
	u.text += n
	u.value = true
	if u.text > s.c.lim.MaxCellBytes {
		return s.limit("MaxCellBytes", "the "+s.unitName()+" holds more than "+thousands(s.c.lim.MaxCellBytes)+
			" bytes of text (limit "+thousands(s.c.lim.MaxCellBytes)+")")
	}
	if s.si != nil {
		s.c.counts.SharedStringBytes += int64(n)
		if s.c.counts.SharedStringBytes > s.c.lim.MaxSharedStringBytes {
			return s.limit("MaxSharedStringBytes", "the workbook's shared strings hold more than "+
				size(s.c.lim.MaxSharedStringBytes)+" of text (limit "+size(s.c.lim.MaxSharedStringBytes)+")")
		}
	}
	return nil
}

// current is the cell or shared string being read, or nil.
func (s *partScan) current() *unit {
	if s.cell != nil {
		return s.cell
	}
	return s.si
}

func (s *partScan) unitName() string {
	if s.si != nil {
		return "shared string " + thousands(s.c.counts.SharedStrings)
	}
	return "cell"
}

// worksheetStart counts rows and cells and follows the cell's column.
func (s *partScan) worksheetStart(t xml.StartElement) error {
	switch {
	case t.Name.Local == "row" && s.cell == nil:
		s.rows++
		s.c.counts.Rows = max(s.c.counts.Rows, s.rows)
		s.row, s.col = s.row+1, 0
		if r, err := strconv.Atoi(attr(t, "r")); err == nil && r > 0 {
			s.row = r
		}
		if s.rows > s.c.lim.MaxRows {
			return s.limit("MaxRows", "the sheet has more than "+thousands(s.c.lim.MaxRows)+
				" rows (limit "+thousands(s.c.lim.MaxRows)+")")
		}
	case t.Name.Local == "c" && s.cell == nil:
		s.c.counts.Cells++
		if s.c.counts.Cells > s.c.lim.MaxCells {
			return s.limit("MaxCells", "the workbook has more than "+thousands(s.c.lim.MaxCells)+
				" cells (limit "+thousands(s.c.lim.MaxCells)+")")
		}
		s.col++
		if col := columnOf(attr(t, "r")); col > 0 {
			s.col = col
		}
		s.cell = &unit{elements: 1}
	}
	return nil
}

// sharedStringStart counts the entries of the shared-string table.
func (s *partScan) sharedStringStart(t xml.StartElement) error {
	if t.Name.Local != "si" || s.si != nil {
		return nil
	}
	s.c.counts.SharedStrings++
	if s.c.counts.SharedStrings > s.c.lim.MaxSharedStrings {
		return s.limit("MaxSharedStrings", "the workbook's shared strings hold more than "+
			thousands(s.c.lim.MaxSharedStrings)+" entries (limit "+thousands(s.c.lim.MaxSharedStrings)+")")
	}
	s.si = &unit{elements: 1}
	return nil
}

// workbookStart counts the sheets and keeps their names.
func (s *partScan) workbookStart(t xml.StartElement) error {
	if t.Name.Local != "sheet" {
		return nil
	}
	s.c.counts.Sheets++
	if s.c.counts.Sheets > s.c.lim.MaxSheets {
		return s.tooManySheets()
	}
	rel := ""
	for _, a := range t.Attr {
		if a.Name.Local == "id" && a.Name.Space != "" {
			rel = a.Value
		}
	}
	s.c.sheets = append(s.c.sheets, sheetEntry{workbook: partName(s.part), name: attr(t, "name"), rel: rel})
	return nil
}

// relationship keeps a workbook relationship's target.
func (s *partScan) relationship(t xml.StartElement) {
	if t.Name.Local != "Relationship" || !strings.HasSuffix(partName(s.part), "workbook.xml.rels") {
		return
	}
	source := relSource(s.part)
	if s.c.relTargets[source] == nil {
		s.c.relTargets[source] = map[string]string{}
	}
	s.c.relTargets[source][attr(t, "Id")] = relTarget(source, attr(t, "Target"))
}

func (s *partScan) tooManySheets() error {
	return &Error{Limit: "MaxSheets", Message: "the workbook has more than " + thousands(s.c.lim.MaxSheets) +
		" sheets (limit " + thousands(s.c.lim.MaxSheets) + ")"}
}

// limit is the Error of a limit met in this part, located as well as the
// scan knows.
func (s *partScan) limit(name, message string) error {
	e := &Error{Limit: name, Part: s.part, Sheet: s.sheet, Message: message}
	if s.kind == kindWorksheet && e.Sheet == "" {
		e.Sheet = s.part // a worksheet the workbook does not list
	}
	if s.kind == kindWorksheet && s.rows > 0 {
		e.Row = s.row
		if s.cell != nil || name == "MaxColumns" {
			e.Column = min(s.col, 1<<20)
		}
	}
	return e
}

// attr is the value of the attribute local, without namespace, or "".
func attr(t xml.StartElement, local string) string {
	for _, a := range t.Attr {
		if a.Name.Local == local && a.Name.Space == "" {
			return a.Value
		}
	}
	return ""
}

// columnOf reads the column of a cell reference ("AB12" is 28), or 0.
// Columns past a million are all the same: far beyond any limit.
func columnOf(ref string) int {
	col := 0
	for _, c := range ref {
		switch {
		case c >= 'A' && c <= 'Z':
			col = min(col*26+int(c-'A'+1), 1<<21)
		case c >= 'a' && c <= 'z':
			col = min(col*26+int(c-'a'+1), 1<<21)
		default:
			return col
		}
	}
	return col
}
