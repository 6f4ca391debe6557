package database

import "gorm.io/gorm"

// migrateRepeatEntries stores the answers of repeat questions (a household's
// members, an organization's projects), asked once per entry.
//
//   - answers.entry places an answer in its entry: "2" for the second entry
//     of a repeat, "2.1" for the first entry of a repeat inside it; empty
//     outside repeats. The repeat itself has one row per entry, so that
//     counting a repeat's rows counts its entries, and counting their
//     responses counts respondents. rows_given stays the number of rows of
//     the question in the whole response, so the analysis's sums of
//     respondents are unchanged by entries.
//   - questions.repeat_code is the repeat a question of a published
//     version is asked in, empty for the others: what an analysis or a
//     workbook needs to count entries rather than respondents, or to give
//     a repeat its own sheet.
//
// Both columns are NOT NULL with an empty default, which every existing
// row keeps (no repeats existed before), so the upgrade rewrites nothing.
func migrateRepeatEntries(tx *gorm.DB) error {
	for _, stmt := range []string{
		`ALTER TABLE answers ADD COLUMN entry varchar(32) NOT NULL DEFAULT ''`,
		`ALTER TABLE questions ADD COLUMN repeat_code varchar(100) NOT NULL DEFAULT ''`,
	} {
		if err := tx.Exec(stmt).Error; err != nil {
			return err
		}
	}
	return nil
}
