// Package xlsxtest writes .xlsx workbooks for tests, hostile ones included,
// without holding their unpacked content: a part is written by a function
// straight into the zip archive's compressor, so that a workbook unpacking
// to hundreds of megabytes costs a few hundred kilobytes of memory and disk.
// Nothing here belongs in production code.
package xlsxtest

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"html"
	"io"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// Part is one file of a workbook archive; Write produces its content.
type Part struct {
	Name  string
	Write func(w io.Writer) error
}

// Sheet is a worksheet: its name in the workbook and a function writing the
// <row> elements of its sheetData (see Rows and InlineRow).
type Sheet struct {
	Name string
	Rows func(w io.Writer) error
}

// Book is a minimal workbook: its sheets, an optional shared-string table
// (a function writing <si> items, see Strings) and extra parts.
type Book struct {
	Sheets        []Sheet
	SharedStrings func(w io.Writer) error
	Parts         []Part
}

const (
	xmlHead    = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
	mainNS     = `http://schemas.openxmlformats.org/spreadsheetml/2006/main`
	relNS      = `http://schemas.openxmlformats.org/officeDocument/2006/relationships`
	pkgRelNS   = `http://schemas.openxmlformats.org/package/2006/relationships`
	ctPrefix   = `application/vnd.openxmlformats-officedocument.spreadsheetml.`
	relTypeFmt = `http://schemas.openxmlformats.org/officeDocument/2006/relationships/%s`
)

// Bytes writes the workbook as an .xlsx file.
func (b Book) Bytes() ([]byte, error) {
	var buf bytes.Buffer
	err := Zip(&buf, b.parts()...)
	return buf.Bytes(), err
}

// Stored writes the workbook as an .xlsx file whose parts are stored
// uncompressed: a fuzzer's mutations then reach the XML.
func (b Book) Stored() ([]byte, error) {
	var buf bytes.Buffer
	err := writeZip(&buf, zip.Store, b.parts()...)
	return buf.Bytes(), err
}

// parts lists the archive's files: the package's plumbing, the sheets,
// the shared strings and the extra parts.
func (b Book) parts() []Part {
	var types, sheets, rels strings.Builder
	types.WriteString(xmlHead + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/xl/workbook.xml" ContentType="` + ctPrefix + `sheet.main+xml"/>`)
	rels.WriteString(xmlHead + `<Relationships xmlns="` + pkgRelNS + `">`)
	parts := []Part{}
	for i, sh := range b.Sheets {
		n := i + 1
		fmt.Fprintf(&types, `<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="%sworksheet+xml"/>`, n, ctPrefix)
		fmt.Fprintf(&sheets, `<sheet name="%s" sheetId="%d" r:id="rId%d"/>`, html.EscapeString(sh.Name), n, n)
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="%s" Target="worksheets/sheet%d.xml"/>`, n, fmt.Sprintf(relTypeFmt, "worksheet"), n)
		parts = append(parts, Part{fmt.Sprintf("xl/worksheets/sheet%d.xml", n), wrap(
			xmlHead+`<worksheet xmlns="`+mainNS+`"><sheetData>`, sh.Rows, `</sheetData></worksheet>`)})
	}
	if b.SharedStrings != nil {
		types.WriteString(`<Override PartName="/xl/sharedStrings.xml" ContentType="` + ctPrefix + `sharedStrings+xml"/>`)
		fmt.Fprintf(&rels, `<Relationship Id="rIdS" Type="%s" Target="sharedStrings.xml"/>`, fmt.Sprintf(relTypeFmt, "sharedStrings"))
		parts = append(parts, Part{"xl/sharedStrings.xml", wrap(xmlHead+`<sst xmlns="`+mainNS+`">`, b.SharedStrings, `</sst>`)})
	}
	types.WriteString(`</Types>`)
	rels.WriteString(`</Relationships>`)
	head := []Part{
		Text("[Content_Types].xml", types.String()),
		Text("_rels/.rels", xmlHead+`<Relationships xmlns="`+pkgRelNS+`"><Relationship Id="rId1" Type="`+
			fmt.Sprintf(relTypeFmt, "officeDocument")+`" Target="xl/workbook.xml"/></Relationships>`),
		Text("xl/workbook.xml", xmlHead+`<workbook xmlns="`+mainNS+`" xmlns:r="`+relNS+`"><sheets>`+sheets.String()+`</sheets></workbook>`),
		Text("xl/_rels/workbook.xml.rels", rels.String()),
	}
	return append(append(head, parts...), b.Parts...)
}

// wrap writes head, then body's output, then tail.
func wrap(head string, body func(io.Writer) error, tail string) func(io.Writer) error {
	return func(w io.Writer) error {
		if _, err := io.WriteString(w, head); err != nil {
			return err
		}
		if body != nil {
			if err := body(w); err != nil {
				return err
			}
		}
		_, err := io.WriteString(w, tail)
		return err
	}
}

// Text is a part with a fixed content.
func Text(name, content string) Part {
	return Part{name, func(w io.Writer) error {
		_, err := io.WriteString(w, content)
		return err
	}}
}

// Zip writes parts as a zip archive, each compressed as it is written.
func Zip(w io.Writer, parts ...Part) error { return writeZip(w, zip.Deflate, parts...) }

func writeZip(w io.Writer, method uint16, parts ...Part) error {
	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, flate.BestSpeed)
	})
	for _, p := range parts {
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: p.Name, Method: method})
		if err != nil {
			return err
		}
		if err := p.Write(fw); err != nil {
			return err
		}
	}
	return zw.Close()
}

// Repeat writes s n times.
func Repeat(n int, s string) func(io.Writer) error {
	return func(w io.Writer) error {
		if s == "" {
			return nil
		}
		chunk := strings.Repeat(s, max(1, min(n, 64<<10/len(s))))
		per := len(chunk) / len(s)
		for left := n; left > 0; {
			k := min(left, per)
			if _, err := io.WriteString(w, chunk[:k*len(s)]); err != nil {
				return err
			}
			left -= k
		}
		return nil
	}
}

// Strings writes shared-string items, one per text.
func Strings(texts ...string) func(io.Writer) error {
	return func(w io.Writer) error {
		for _, s := range texts {
			if _, err := fmt.Fprintf(w, `<si><t xml:space="preserve">%s</t></si>`, html.EscapeString(s)); err != nil {
				return err
			}
		}
		return nil
	}
}

// InlineRow writes row r (from 1) with inline-string cells from column A;
// an empty text leaves its cell out.
func InlineRow(w io.Writer, r int, cells ...string) error {
	var b strings.Builder
	fmt.Fprintf(&b, `<row r="%d">`, r)
	for i, s := range cells {
		if s != "" {
			fmt.Fprintf(&b, `<c r="%s%d" t="inlineStr"><is><t xml:space="preserve">%s</t></is></c>`, Column(i+1), r, html.EscapeString(s))
		}
	}
	b.WriteString(`</row>`)
	_, err := io.WriteString(w, b.String())
	return err
}

// Rows writes the given rows with InlineRow, numbered from 1.
func Rows(rows ...[]string) func(io.Writer) error {
	return func(w io.Writer) error {
		for i, cells := range rows {
			if err := InlineRow(w, i+1, cells...); err != nil {
				return err
			}
		}
		return nil
	}
}

// Column names a column as a spreadsheet does: 1 is A, 27 is AA; past
// the last column (XFD), "?".
func Column(n int) string {
	name, err := excelize.ColumnNumberToName(n)
	if err != nil {
		return "?"
	}
	return name
}

// AddSeeds adds each book to a fuzz target's seeds compressed, and
// stored, so that the fuzzer's mutations reach the XML too.
func AddSeeds(f *testing.F, books ...Book) {
	f.Helper()
	for _, b := range books {
		for _, write := range []func() ([]byte, error){b.Bytes, b.Stored} {
			data, err := write()
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
}

// SharedStringsBomb is a workbook whose one sheet refers to the first of n
// shared strings "a": about 17 bytes unpacked per entry, a few bytes packed.
func SharedStringsBomb(n int) ([]byte, error) {
	return Book{
		Sheets:        []Sheet{{Name: "Sheet1", Rows: Repeat(1, `<row r="1"><c r="A1" t="s"><v>0</v></c></row>`)}},
		SharedStrings: Repeat(n, `<si><t>a</t></si>`),
	}.Bytes()
}

// ManyRows is a workbook whose one sheet has n rows of one number each.
func ManyRows(n int) ([]byte, error) {
	return Book{Sheets: []Sheet{{Name: "Sheet1", Rows: Repeat(n, `<row><c><v>1</v></c></row>`)}}}.Bytes()
}

// ZipBomb is an archive whose part name unpacks to size bytes of zeros
// while declaring declared bytes: a lying header when declared < size.
// The compressed stream repeats one block, so that building a bomb of a
// gigabyte takes milliseconds and about a megabyte.
func ZipBomb(name string, size, declared int64) ([]byte, error) {
	const unit = 1 << 20
	var seg bytes.Buffer
	fw, err := flate.NewWriter(&seg, flate.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := fw.Write(make([]byte, unit)); err != nil {
		return nil, err
	}
	if err := fw.Flush(); err != nil { // ends the blocks on a byte boundary, not final
		return nil, err
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	n := (size + unit - 1) / unit
	last := []byte{0x03, 0x00} // an empty final block with fixed codes
	raw, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate,
		CompressedSize64: uint64(n)*uint64(seg.Len()) + uint64(len(last)), UncompressedSize64: uint64(declared)})
	if err != nil {
		return nil, err
	}
	for range n {
		if _, err := raw.Write(seg.Bytes()); err != nil {
			return nil, err
		}
	}
	if _, err := raw.Write(last); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
