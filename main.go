// Command agora runs Agora, the questionnaire engine for stakeholder
// consultation in the review of the UN Convention against Transnational
// Organized Crime and its Protocols.
//
//	agora [serve]       start the server (the default)
//	agora migrate       apply pending database migrations
//	agora users add     add a staff account
//	agora users list    list staff accounts
//	agora tokens create issue an API token (printed once)
//	agora tokens revoke revoke an API token
//	agora demo          load the demo content into an empty database
//	agora import FILE   import an XLSForm workbook as a draft questionnaire
//	agora import --check DIR  measure which XLSForms of a folder import
//	agora backup FILE   copy the SQLite database consistently, server running
//
// Every flag has an environment variable equivalent, named in its help.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"gorm.io/gorm"

	"github.com/unodc-csu/agora/api"
	"github.com/unodc-csu/agora/forms"
	"github.com/unodc-csu/agora/forms/accounts"
	"github.com/unodc-csu/agora/forms/audit"
	"github.com/unodc-csu/agora/forms/database"
	"github.com/unodc-csu/agora/forms/mail"
	"github.com/unodc-csu/agora/forms/setup"
)

func main() {
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo})))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "agora:", err)
		os.Exit(1)
	}
}

// run dispatches a command line; it is main without the process around it.
func run(ctx context.Context, args []string, out io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serve(ctx, args, out)
	case "migrate":
		return migrate(ctx, args, out)
	case "users":
		return users(ctx, args, out)
	case "tokens":
		return tokens(ctx, args, out)
	case "demo":
		return demo(ctx, args, out)
	case "import":
		return importForm(ctx, args, out)
	case "backup":
		return backup(ctx, args, out)
	case "help", "-h", "--help":
		fmt.Fprintln(out, usage)
		return nil
	}
	return fmt.Errorf("unknown command %q\n%s", cmd, usage)
}

const usage = `usage: agora [command] [flags]

commands:
  serve          start the server (default)
  migrate        apply pending database migrations
  users add      --email E --role admin|analyst|focal_point [--countries KEN,MEX] [--name N]
  users list     list staff accounts
  users password   --email E               reads the new password from standard input
  users reset-link --email E [--base-url U] prints a one-time password-set link (24 h)
  tokens create  --email E [--name N] [--ttl 720h]   prints the token once
  tokens revoke  --id N
  demo           load the demo content into an empty database
  import         [--db DSN] FORM.xlsx   import an XLSForm as a draft questionnaire; prints the report
  import --check DIR|FORM.xlsx...      no database: print for each workbook imported / refused (first cell and
                                       reason) / nothing to ask, then the totals and the share imported
  backup FILE    copy the SQLite database to FILE, consistently, while the server runs

run "agora COMMAND -h" for a command's flags.`

// env returns the environment variable or a default.
func env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return def
}

func envBool(name string, def bool) bool {
	b, err := strconv.ParseBool(env(name, strconv.FormatBool(def)))
	if err != nil {
		return def
	}
	return b
}

// dbFlag registers the database flag shared by every command.
func dbFlag(fs *flag.FlagSet) *string {
	return fs.String("db", env("DATABASE_URL", database.DefaultSQLiteFile),
		"database: a SQLite file path, or postgres://user@host/db (env DATABASE_URL)")
}

// openDB opens and migrates the database. Migrating here keeps every command
// safe on a new or older database; a newer schema is refused.
func openDB(ctx context.Context, dsn string) (*gorm.DB, error) {
	db, err := database.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if err := database.Migrate(ctx, db); err != nil {
		database.Close(db)
		return nil, err
	}
	return db, nil
}

func serve(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fs.String("addr", env("AGORA_ADDR", "127.0.0.1:8080"), "listen address (env AGORA_ADDR)")
	dsn := dbFlag(fs)
	baseURL := fs.String("base-url", env("AGORA_BASE_URL", ""), "public URL for personal links; default http://ADDR (env AGORA_BASE_URL)")
	withDemo := fs.Bool("demo", envBool("AGORA_DEMO", true), "load the demo into an empty database and print a demo token (env AGORA_DEMO)")
	hsts := fs.Bool("hsts", envBool("AGORA_HSTS", false), "send Strict-Transport-Security; set when served over TLS (env AGORA_HSTS)")
	proxies := fs.String("trusted-proxies", env("AGORA_TRUSTED_PROXIES", ""), "comma-separated proxy addresses whose X-Forwarded-For is trusted (env AGORA_TRUSTED_PROXIES)")
	rate := fs.Int("rate", envInt("AGORA_RATE_PER_MINUTE", 600), "requests per minute allowed per client address (env AGORA_RATE_PER_MINUTE)")
	grace := fs.Duration("shutdown-grace", 15*time.Second, "time given to requests in flight at shutdown")
	secret := fs.String("secret", env("AGORA_SECRET", ""), "key that signs the survey pages' forms; default: one drawn at first start and kept in the database (env AGORA_SECRET)")
	maxConns := fs.Int("db-max-conns", envInt("AGORA_DB_MAX_CONNS", 0), "database connections this instance may open; 0 for the default (env AGORA_DB_MAX_CONNS)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := checkBaseURL(*baseURL, *addr); err != nil {
		return err
	}
	db, err := openDB(ctx, *dsn)
	if err != nil {
		return err
	}
	defer database.Close(db)
	if err := database.SetMaxOpenConns(db, *maxConns); err != nil {
		return err
	}
	if *secret == "" {
		if *secret, err = database.InstanceSecret(ctx, db); err != nil {
			return err
		}
	}

	smtp, err := smtpSetting()
	if err != nil {
		return err
	}
	cfg := api.Config{BaseURL: *baseURL, HSTS: *hsts, RatePerMinute: *rate, TrustedProxies: splitList(*proxies), Secret: *secret, SMTP: smtp}
	srv := api.New(cfg, db)
	srv.StartExports(ctx)
	var creds *setup.Credentials
	if *withDemo {
		if creds, err = prepareDemo(ctx, db, srv.Forms(), srv.Accounts()); err != nil {
			return err
		}
	}
	return api.Serve(ctx, *addr, srv.Handler(), *grace, func(bound string) {
		srv.Listening(bound)
		url := *baseURL
		if url == "" {
			url = "http://" + bound
		}
		fmt.Fprintf(out, "Agora is running at %s (database: %s)\n", url, describeDSN(*dsn))
		if creds != nil {
			fmt.Fprintf(out, "Demo administrator: %s\n", creds.Email)
			if creds.Password != "" {
				fmt.Fprintf(out, "Log in at %s/login as %s with password %s\n  (the same password works for %s and %s; it changes at each start)\n",
					url, creds.Email, creds.Password, setup.DemoFocalPointEmail, setup.DemoAnalystEmail)
			}
			fmt.Fprintf(out, "Demo API token (valid until the next start):\n  %s\n", creds.Token)
			fmt.Fprintf(out, "Try: curl -H 'Authorization: Bearer %s' %s/api/v1/questionnaires\n", creds.Token, url)
			if creds.SurveyToken != "" {
				fmt.Fprintf(out, "Answer the demo survey as a stakeholder would (a personal link, renewed at each start):\n  %s/s/%s\n", url, creds.SurveyToken)
			}
		} else {
			fmt.Fprintln(out, `Get in with: agora users add --email you@example.org --role admin; agora tokens create --email you@example.org`)
		}
		fmt.Fprintln(out, "Stop with Ctrl+C.")
	})
}

// smtpSetting reads AGORA_SMTP_URL, the server that emails invitations and
// reminders. It has no flag, so that its password stays out of process
// listings; only the URL without the password is logged.
func smtpSetting() (*mail.Config, error) {
	raw := os.Getenv("AGORA_SMTP_URL")
	if raw == "" {
		return nil, nil
	}
	cfg, err := mail.ParseURL(raw)
	if err != nil {
		return nil, fmt.Errorf("AGORA_SMTP_URL: %w", err)
	}
	slog.Info("invitations by email", "smtp", cfg.String())
	return &cfg, nil
}

// prepareDemo loads the demo into an empty database and, when the demo
// admin exists, issues the token to print.
func prepareDemo(ctx context.Context, db *gorm.DB, fs *forms.Store, acc *accounts.Store) (*setup.Credentials, error) {
	empty, err := setup.IsEmpty(ctx, db)
	if err != nil {
		return nil, err
	}
	if empty {
		if err := setup.LoadDemo(ctx, fs, acc); err != nil {
			return nil, fmt.Errorf("load demo: %w", err)
		}
		slog.Info("demo content loaded")
	}
	return setup.DemoCredentials(ctx, fs, acc)
}

func migrate(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	dsn := dbFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := database.Open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer database.Close(db)
	before, err := database.Version(ctx, db)
	if err != nil {
		return err
	}
	if err := database.Migrate(ctx, db); err != nil {
		return err
	}
	fmt.Fprintf(out, "schema at version %d (was %d)\n", database.Latest(), before)
	return nil
}

func demo(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	dsn := dbFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := openDB(ctx, *dsn)
	if err != nil {
		return err
	}
	defer database.Close(db)
	empty, err := setup.IsEmpty(ctx, db)
	if err != nil {
		return err
	}
	if !empty {
		return errors.New("the database is not empty: the demo loads only into a new database")
	}
	if err := setup.LoadDemo(ctx, forms.NewStore(db), accounts.NewStore(db)); err != nil {
		return err
	}
	fmt.Fprintf(out, "demo loaded: accounts %s, %s, %s\n", setup.DemoAdminEmail, setup.DemoAnalystEmail, setup.DemoFocalPointEmail)
	return nil
}

// backup copies the SQLite database to a new file while the server may be
// running; PostgreSQL has its own tools, which the error names.
func backup(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	dsn := dbFlag(fs)
	var file string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		file, args = args[0], args[1:] // agora backup FILE --db ...
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if file == "" && fs.NArg() == 1 {
		file = fs.Arg(0)
	} else if file == "" || fs.NArg() != 0 {
		return errors.New("backup: name one new file to write, as in: agora backup agora-2027-01-31.db")
	}
	if database.IsPostgres(*dsn) {
		return database.ErrBackupPostgres
	}
	db, err := database.OpenExisting(ctx, *dsn)
	if err != nil {
		return err
	}
	defer database.Close(db)
	if err := database.Backup(ctx, db, file); err != nil {
		return err
	}
	fmt.Fprintf(out, "backed up %s to %s\n", describeDSN(*dsn), file)
	return nil
}

func envInt(name string, def int) int {
	n, err := strconv.Atoi(env(name, strconv.Itoa(def)))
	if err != nil {
		return def
	}
	return n
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// describeDSN names the database without its credentials.
func describeDSN(dsn string) string {
	if database.IsPostgres(dsn) {
		dsn, _, _ = strings.Cut(dsn, "?")
		if at := strings.LastIndex(dsn, "@"); at >= 0 {
			return "postgres://…" + dsn[at:]
		}
		return "postgres"
	}
	return dsn
}

func users(ctx context.Context, args []string, out io.Writer) error {
	if len(args) == 0 {
		return errors.New("users: say add or list")
	}
	fs := flag.NewFlagSet("users "+args[0], flag.ContinueOnError)
	dsn := dbFlag(fs)
	email := fs.String("email", "", "the user's email address")
	name := fs.String("name", "", "the user's name")
	role := fs.String("role", "", "admin, analyst or focal_point")
	countries := fs.String("countries", "", "a focal point's countries, ISO3 codes separated by commas (KEN,MEX)")
	passwordStdin := fs.Bool("password-stdin", false, "users add: read the new user's password from the first line of standard input")
	baseURL := fs.String("base-url", env("AGORA_BASE_URL", "http://localhost:8080"), "users reset-link: the public URL (env AGORA_BASE_URL)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	db, err := openDB(ctx, *dsn)
	if err != nil {
		return err
	}
	defer database.Close(db)
	acc := accounts.NewStore(db)
	switch args[0] {
	case "add":
		u, err := acc.AddUser(ctx, accounts.NewUser{Email: *email, Name: *name, Role: *role, Countries: splitList(*countries)})
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "added user %d: %s (%s) %s\n", u.ID, u.Email, u.Role, strings.Join(u.Countries, ","))
		cliAudit(ctx, db, audit.UserCreate, u.ID, map[string]any{"email": u.Email, "role": u.Role, "countries": u.Countries})
		if *passwordStdin {
			return setPasswordFromStdin(ctx, db, acc, u.Email, os.Stdin, out)
		}
		return nil
	case "password":
		return setPasswordFromStdin(ctx, db, acc, *email, os.Stdin, out)
	case "reset-link":
		return printResetLink(ctx, db, acc, *email, *baseURL, out)
	case "list":
		list, err := acc.Users(ctx)
		if err != nil {
			return err
		}
		for _, u := range list {
			fmt.Fprintf(out, "%d\t%s\t%s\t%s\n", u.ID, u.Email, u.Role, strings.Join(u.Countries, ","))
		}
		return nil
	}
	return fmt.Errorf("users: unknown subcommand %q (add, list, password, reset-link)", args[0])
}

func tokens(ctx context.Context, args []string, out io.Writer) error {
	if len(args) == 0 {
		return errors.New("tokens: say create or revoke")
	}
	fs := flag.NewFlagSet("tokens "+args[0], flag.ContinueOnError)
	dsn := dbFlag(fs)
	email := fs.String("email", "", "the user the token acts for")
	name := fs.String("name", "cli", "a name to recognize the token by")
	ttl := fs.Duration("ttl", 0, "lifetime such as 720h; 0 never expires")
	id := fs.Uint("id", 0, "the token's id (tokens revoke)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	db, err := openDB(ctx, *dsn)
	if err != nil {
		return err
	}
	defer database.Close(db)
	acc := accounts.NewStore(db)
	switch args[0] {
	case "create":
		if *email == "" {
			return errors.New("tokens create: --email is required")
		}
		secret, t, err := acc.CreateToken(ctx, *email, *name, *ttl)
		if errors.Is(err, forms.ErrNotFound) {
			return fmt.Errorf("no user with email %s: add one with agora users add", *email)
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "token %d for %s (shown once, keep it secret):\n%s\n", t.ID, *email, secret)
		return nil
	case "revoke":
		if err := acc.RevokeToken(ctx, *id); err != nil {
			return err
		}
		fmt.Fprintf(out, "token %d revoked\n", *id)
		return nil
	}
	return fmt.Errorf("tokens: unknown subcommand %q (create, revoke)", args[0])
}
