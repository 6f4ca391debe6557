package forms

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"

	playground "github.com/go-playground/validator/v10"
)

var (
	inputOnce sync.Once
	inputV    *playground.Validate
)

// inputValidator returns the shared validator, which names fields by their
// JSON names so that error paths match what the client sent.
func inputValidator() *playground.Validate {
	inputOnce.Do(func() {
		inputV = playground.New(playground.WithRequiredStructEnabled())
		inputV.RegisterTagNameFunc(func(f reflect.StructField) string {
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				return ""
			}
			if name == "" {
				return f.Name
			}
			return name
		})
		_ = inputV.RegisterValidation("country", func(fl playground.FieldLevel) bool {
			return ValidCountryCode(fl.Field().String())
		})
	})
	return inputV
}

// CheckInput validates a request form by its `inputV` tags and returns a
// *ValidationError whose paths are JSON pointers ("/countries/0").
func CheckInput(v any) error {
	err := inputValidator().Struct(v)
	if err == nil {
		return nil
	}
	var verrs playground.ValidationErrors
	if !errors.As(err, &verrs) {
		return err
	}
	ve := &ValidationError{}
	for _, fe := range verrs {
		ve.Add(inputPath(fe.Namespace()), "%s", inputMessage(fe))
	}
	return ve
}

// inputPath turns "NewUser.countries[0]" into "/countries/0".
func inputPath(ns string) string {
	_, rest, found := strings.Cut(ns, ".")
	if !found {
		rest = ns
	}
	rest = strings.NewReplacer("[", ".", "]", "").Replace(rest)
	parts := strings.Split(rest, ".")
	for i, p := range parts {
		parts[i] = pointer(p)
	}
	return "/" + strings.Join(parts, "/")
}

func inputMessage(fe playground.FieldError) string {
	switch fe.Tag() {
	case "required":
		return "required"
	case "email":
		return "must be an email address"
	case "oneof":
		return "must be one of: " + strings.ReplaceAll(fe.Param(), " ", ", ")
	case "max":
		if numeric(fe.Kind()) {
			return "must be at most " + fe.Param()
		}
		return "must be at most " + fe.Param() + " long"
	case "min":
		if numeric(fe.Kind()) {
			return "must be at least " + fe.Param()
		}
		return "must be at least " + fe.Param() + " long"
	case "country":
		return "must be an ISO 3166-1 alpha-3 country code such as KEN"
	default:
		return fmt.Sprintf("fails the %q rule", fe.Tag())
	}
}

// numeric tells the kinds whose min and max are values, not lengths.
func numeric(k reflect.Kind) bool {
	switch k {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return true
	}
	return false
}
