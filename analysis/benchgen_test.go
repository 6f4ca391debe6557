package analysis_test

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"github.com/unodc-csu/agora/forms"
)

// generate fills the benchmark schema. The questionnaire and consultations
// go through the store, as in production; the 100,000 responses are
// written by PostgreSQL in bulk.
func generate(ctx context.Context, db *gorm.DB) error {
	if db.Migrator().HasTable("bench_marker") {
		return fmt.Errorf("schema holds an older generation")
	}
	store := forms.NewStore(db)
	q, err := store.CreateQuestionnaire(ctx, benchDefinition(), nil)
	if err != nil {
		return err
	}
	if _, err := store.PublishQuestionnaire(ctx, q.ID); err != nil {
		return err
	}
	for _, iso := range benchCountries {
		if _, err := store.CreateConsultation(ctx, forms.AllCountries, forms.ConsultationInput{
			QuestionnaireID: q.ID, Country: iso, Title: "Benchmark " + iso,
		}, nil); err != nil {
			return err
		}
	}
	var values []string
	for _, b := range benchQuestions() {
		values = append(values, fmt.Sprintf("('%s', '%s', '%s', %d)", b.code, b.typ, b.relevantOn, b.pos))
	}
	steps := append([]string{
		`CREATE TABLE bench_questions (code text, type text, relevant_on text, pos int)`,
		`INSERT INTO bench_questions VALUES ` + strings.Join(values, ", "),
		`CREATE TABLE bench_consultations AS SELECT id, country_iso3, (ROW_NUMBER() OVER (ORDER BY id) - 1)::int AS idx FROM consultations`,
	}, generateSQL...)
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec(`SELECT setseed(0.42)`).Error; err != nil {
			return err
		}
		for _, s := range steps {
			s = strings.ReplaceAll(s, "$QID", fmt.Sprint(q.ID))
			s = strings.ReplaceAll(s, "$INVITED", fmt.Sprint(benchInvited))
			s = strings.ReplaceAll(s, "$SUBMITTED", fmt.Sprint(benchPerCountry))
			s = strings.ReplaceAll(s, "$GEN", fmt.Sprint(benchGeneration))
			if err := tx.Exec(s).Error; err != nil {
				return fmt.Errorf("%.80s...: %w", strings.TrimSpace(s), err)
			}
		}
		return nil
	})
}

// generateSQL writes stakeholders, invitations, responses (arriving in
// random order across countries), then every answer into a staging table,
// copied into answers response by response, as forms.Submit writes them
// (with the consultation, the stakeholder type and each question's number
// of rows).
var generateSQL = []string{
	`INSERT INTO stakeholders (organization, organization_key, type, subtype, country_iso3, email, contact_name,
	   ecosoc_status, hub_consent, language, notes, search_text, created_at, updated_at)
	 SELECT 'Organization ' || g, 'organization ' || g,
	        (ARRAY['ngo','ngo','ngo','ngo','academia','academia','private_sector','other'])[1 + (g / 20) % 8],
	        '', c.country_iso3, '', '', 'none', false, 'en', '', '', now(), now()
	 FROM generate_series(0, 20 * $INVITED - 1) g JOIN bench_consultations c ON c.idx = g % 20`,
	`INSERT INTO invitations (consultation_id, stakeholder_id, open_visit, declared_type, token_hash, language,
	   created_at, opened_at, started_at, submitted_at)
	 SELECT c.id, s.id, false, '', md5(s.id::text) || md5('t' || s.id), 'en', now(),
	        CASE WHEN s.k < $SUBMITTED + 350 THEN now() END, CASE WHEN s.k < $SUBMITTED + 200 THEN now() END,
	        CASE WHEN s.k < $SUBMITTED THEN now() END
	 FROM (SELECT id, country_iso3, ROW_NUMBER() OVER (PARTITION BY country_iso3 ORDER BY id) - 1 AS k FROM stakeholders) s
	 JOIN bench_consultations c ON c.country_iso3 = s.country_iso3`,
	`INSERT INTO responses (consultation_id, questionnaire_id, invitation_id, country_iso3, stakeholder_type, language,
	   status, section, draft, pending, created_at, updated_at, submitted_at)
	 SELECT i.consultation_id, $QID, i.id, s.country_iso3, s.type, 'en', 'submitted', 0, '{}', false, now(), now(), now()
	 FROM invitations i JOIN stakeholders s ON s.id = i.stakeholder_id
	 WHERE i.submitted_at IS NOT NULL ORDER BY random()`,
	`CREATE UNLOGGED TABLE bench_gen (response_id bigint, pos int, question_code text, row_code text,
	   option_code text, number numeric, text text, rank int)`,
	// Single choices lean towards "yes", more or less by country.
	`INSERT INTO bench_gen SELECT r.id, q.pos, q.code, '',
	   (ARRAY['yes','partly','no','dont_know'])[1 + floor(power(random(), 1 + (ascii(r.country_iso3) % 3) * 0.5) * 4)::int], NULL, '', 0
	 FROM responses r CROSS JOIN bench_questions q WHERE q.type = 'single_choice'`,
	`INSERT INTO bench_gen SELECT r.id, q.pos, q.code, '', 'o' || o, NULL, '', 0
	 FROM responses r CROSS JOIN bench_questions q CROSS JOIN generate_series(1, 6) o
	 WHERE q.type = 'multiple_choice' AND random() < 0.4 - o * 0.04`,
	`INSERT INTO bench_gen SELECT id, pos, code, '', opt, NULL, '', rn FROM (
	   SELECT r.id, q.pos, q.code, 'o' || o AS opt, ROW_NUMBER() OVER (PARTITION BY r.id, q.code ORDER BY random() * o) AS rn
	   FROM responses r CROSS JOIN bench_questions q CROSS JOIN generate_series(1, 8) o WHERE q.type = 'ranking') x
	 WHERE rn <= 3`,
	`INSERT INTO bench_gen SELECT r.id, q.pos, q.code, '', '', (ARRAY[1,2,3,4,5,9])[1 + floor(random() * 6)::int], '', 0
	 FROM responses r CROSS JOIN bench_questions q WHERE q.type = 'scale'`,
	`INSERT INTO bench_gen SELECT r.id, q.pos, q.code, 'r' || w, '', (ARRAY[1,2,3,4,5,9])[1 + floor(random() * 6)::int], '', 0
	 FROM responses r CROSS JOIN bench_questions q CROSS JOIN generate_series(1, 4) w WHERE q.type = 'matrix'`,
	`INSERT INTO bench_gen SELECT r.id, q.pos, q.code, '', '',
	   CASE WHEN q.type = 'integer' THEN floor(random() * random() * 200) ELSE round((random() * 1000)::numeric, 2) END, '', 0
	 FROM responses r CROSS JOIN bench_questions q WHERE q.type IN ('integer', 'number')`,
	`INSERT INTO bench_gen SELECT g.response_id, q.pos, q.code, '', '', NULL,
	   repeat('Stakeholders report gaps in the implementation of this article. ', (1 + g.response_id % 4)::int) || g.response_id, 0
	 FROM bench_gen g JOIN bench_questions q ON q.relevant_on = g.question_code
	 WHERE g.option_code IN ('no', 'partly') AND random() < 0.8`,
	`INSERT INTO hidden_questions (response_id, question_code, consultation_id, questionnaire_id, stakeholder_type)
	 SELECT g.response_id, q.code, r.consultation_id, $QID, r.stakeholder_type
	 FROM bench_gen g JOIN bench_questions q ON q.relevant_on = g.question_code JOIN responses r ON r.id = g.response_id
	 WHERE g.option_code IN ('yes', 'dont_know')`,
	`INSERT INTO answers (response_id, consultation_id, questionnaire_id, question_code, row_code, option_code, number, text, rank,
	   rows_given, stakeholder_type)
	 SELECT g.response_id, r.consultation_id, $QID, g.question_code, g.row_code, g.option_code, g.number, g.text, g.rank,
	        COUNT(*) OVER (PARTITION BY g.response_id, g.question_code), r.stakeholder_type
	 FROM bench_gen g JOIN responses r ON r.id = g.response_id
	 ORDER BY g.response_id, g.pos, g.row_code, g.rank, g.option_code`,
	`DROP TABLE bench_gen`,
	`CREATE TABLE bench_marker (generation int)`,
	`INSERT INTO bench_marker VALUES ($GEN)`,
}
