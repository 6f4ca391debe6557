package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/unodc-csu/agora/forms"
	"github.com/unodc-csu/agora/forms/database"
	"github.com/unodc-csu/agora/forms/xlsform"
)

// importForm is "agora import [--db DSN] form.xlsx": it reads an XLSForm
// workbook into a new draft questionnaire, prints the import report and
// the draft's id and version, and fails when the workbook is refused. With
// --check it only measures folders of workbooks (see importCheck).
func importForm(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	dsn := dbFlag(fs)
	check := fs.Bool("check", false, "only check the workbooks of the folders (or files) named: no database, nothing stored")
	// Flags may come before or after the file name.
	var files []string
	for {
		if err := fs.Parse(args); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		files, args = append(files, fs.Arg(0)), fs.Args()[1:]
	}
	if *check {
		return importCheck(ctx, files, out)
	}
	if len(files) != 1 {
		return errors.New("import: name one XLSForm workbook: agora import [--db DSN] form.xlsx")
	}
	path := files[0]
	file, err := os.Open(path)
	if err != nil {
		return err
	}
	defer file.Close()
	db, err := openDB(ctx, *dsn)
	if err != nil {
		return err
	}
	defer database.Close(db)
	store := forms.NewStore(db)
	known, err := store.ThemeKnown(ctx)
	if err != nil {
		return err
	}
	code := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	def, rep, err := xlsform.Import(ctx, file, xlsform.Options{ThemeKnown: known, Code: code})
	fmt.Fprint(out, rep)
	if err != nil {
		return fmt.Errorf("%s was refused: %d problem(s), listed above", path, len(rep.Errors()))
	}
	q, err := store.CreateQuestionnaire(ctx, def, nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "created draft questionnaire %d: %s version %d, %d questions in %d sections, languages %s\n",
		q.ID, q.Code, q.Version, len(def.Questions()), len(def.Sections), strings.Join(def.Languages, ","))
	return nil
}
