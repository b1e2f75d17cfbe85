package cloud

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
)

// Kind is the class of a cloud failure: what the person (or the retry loop)
// can do about it.
type Kind int

// The kinds of cloud failure. Each one has its own fix, so commands map them
// to exit codes and hints without looking at product-specific codes.
const (
	KindUnknown     Kind = iota
	KindCredentials      // no credentials, or the cloud rejected them (unknown key, bad secret, expired token)
	KindPermission       // the credentials are valid but the RAM policy does not allow the action
	KindNotFound         // the mesh, cluster, VPC, ... does not exist in this region and account
	KindThrottled        // flow control (Throttling*); retried, reported only when the retry budget ran out
	KindUnavailable      // 5xx or a transport failure; retried, reported only when the retry budget ran out
	KindInvalid          // the request was refused as malformed or not allowed in the resource's state
	KindTimeout          // a call did not answer within the per-call timeout
)

var kindNames = map[Kind]string{
	KindUnknown:     "unknown error",
	KindCredentials: "credentials rejected",
	KindPermission:  "permission denied",
	KindNotFound:    "not found",
	KindThrottled:   "throttled",
	KindUnavailable: "service unavailable",
	KindInvalid:     "request refused",
	KindTimeout:     "timed out",
}

// String names the kind in words, as shown in error messages.
func (k Kind) String() string { return kindNames[k] }

// Error is a failed cloud call. It never holds a secret: the message is the
// cloud's own message (or a transport error) and the hint is written here.
type Error struct {
	Kind       Kind
	API        string // product.Action, e.g. servicemesh.DescribeServiceMeshes
	Code       string // the cloud's error code, e.g. Forbidden.RAM, ErrorClusterNotFound
	Message    string // the cloud's message
	RequestID  string // quote it to Alibaba Cloud support
	HTTPStatus int    // 0 when no response was received
	RAMAction  string // the RAM action the call needs, e.g. servicemesh:DescribeServiceMeshes
	Hint       string // what to do about it
	Attempts   int    // how many times the call was tried
	Err        error  // the underlying transport or credential error, if any
}

// Error reads: API: kind (Code): message [request ID] — hint.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.API)
	b.WriteString(": ")
	b.WriteString(e.Kind.String())
	if e.Code != "" {
		fmt.Fprintf(&b, " (%s)", e.Code)
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " after %d attempts", e.Attempts)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " [request ID %s]", e.RequestID)
	}
	if e.Hint != "" {
		b.WriteString(" — ")
		b.WriteString(e.Hint)
	}
	return b.String()
}

// Unwrap gives the underlying transport or credential error.
func (e *Error) Unwrap() error { return e.Err }

// KindOf returns the kind of a cloud error, or KindUnknown for any other error.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindUnknown
}

// IsNotFound tells whether err says the resource does not exist.
func IsNotFound(err error) bool { return KindOf(err) == KindNotFound }

// retryable tells whether another attempt may succeed.
func (e *Error) retryable() bool {
	return e.Kind == KindThrottled || e.Kind == KindUnavailable || e.Kind == KindTimeout
}

// credentialsError marks a failure of the credentials provider itself (no
// credentials, unreadable profile, STS refusal), as opposed to the cloud
// rejecting the credentials.
type credentialsError struct{ err error }

func (e *credentialsError) Error() string { return e.err.Error() }
func (e *credentialsError) Unwrap() error { return e.err }

// fromServerError turns the SDK's server error into a typed Error. CS (ROA)
// errors use lower-case keys, which the V1 SDK does not read: it leaves
// ErrorCode empty and puts the raw body in Message, so the body is parsed here.
func fromServerError(api string, se *sdkerrors.ServerError) *Error {
	e := &Error{
		API:        api,
		Code:       se.ErrorCode(),
		Message:    se.Message(),
		RequestID:  se.RequestId(),
		HTTPStatus: se.HttpStatus(),
	}
	if e.Code == "" {
		var body struct {
			Code       string `json:"code"`
			Message    string `json:"message"`
			RequestID  string `json:"requestId"`
			RequestID2 string `json:"request_id"`
		}
		if json.Unmarshal([]byte(se.Message()), &body) == nil {
			e.Code, e.Message = body.Code, body.Message
			e.RequestID = firstNonEmpty(body.RequestID, body.RequestID2)
		}
	}
	// A signature mismatch carries the server's whole string to sign: noise
	// to a person, so it is cut off.
	if before, _, ok := strings.Cut(e.Message, sdkerrors.MessageContain); ok {
		e.Message = strings.TrimSpace(before)
	}
	if d := se.AccessDeniedDetail(); d != nil {
		if a, ok := d["AuthAction"].(string); ok {
			e.RAMAction = a
		}
	}
	e.Kind = kindOfCode(e.Code, e.HTTPStatus)
	return e
}

// throttlingCodes are flow-control codes that do not start with
// "Throttling": Terraform's NeedRetry retries "Rejected.Throttling" as well
// as Throttling* (aliyun/terraform-provider-alicloud, alicloud/errors.go),
// and retries "QPS Limit Exceeded" where a product answers it
// (resource_alicloud_sae_service.go).
var throttlingCodes = []string{"Rejected.Throttling", "QPS Limit Exceeded"}

// kindOfCode classifies a cloud error code and HTTP status.
func kindOfCode(code string, status int) Kind {
	switch {
	case strings.HasPrefix(code, "Throttling") || slices.ContainsFunc(throttlingCodes, func(c string) bool { return strings.EqualFold(c, code) }) ||
		status == http.StatusTooManyRequests:
		return KindThrottled
	case strings.HasPrefix(code, "InvalidAccessKeyId"),
		strings.HasPrefix(code, "SignatureDoesNotMatch"),
		strings.HasPrefix(code, "InvalidSecurityToken"),
		strings.HasPrefix(code, "IncompleteSignature"),
		status == http.StatusUnauthorized:
		return KindCredentials
	case strings.HasPrefix(code, "Forbidden"),
		strings.HasPrefix(code, "NoPermission"),
		code == "ErrorCheckAcl",
		status == http.StatusForbidden:
		return KindPermission
	case strings.HasPrefix(code, "InvalidAction"):
		return KindInvalid
	case strings.Contains(code, "NotFound"), strings.Contains(code, "NotExist"), status == http.StatusNotFound:
		return KindNotFound
	case status >= 500, code == "ServiceUnavailable", code == "InternalError":
		return KindUnavailable
	case status >= 400:
		return KindInvalid
	}
	return KindUnknown
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
