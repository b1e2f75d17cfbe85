package sim

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
)

// APIError is an error answer of the simulated cloud: the HTTP status, the
// error code and the message, written in the shape of the product that
// answers (POP {RequestId,HostId,Code,Message,Recommend} for RPC products,
// lower-case {code,message,requestId,status} for ACK). State API methods
// return it too, so a caller can pass the cloud's own code on.
type APIError struct {
	Status  int
	Code    string
	Message string
	// Denied is the RAM action a Forbidden.RAM answer names, if any.
	Denied string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("%s (HTTP %d): %s", e.Code, e.Status, e.Message)
}

func apiErr(status int, code, format string, args ...any) *APIError {
	return &APIError{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

func missingParam(name string) *APIError {
	return apiErr(http.StatusBadRequest, "MissingParameter", "The input parameter %q that is mandatory for processing this request is not supplied.", name)
}

func invalidParam(name, value, why string) *APIError {
	return apiErr(http.StatusBadRequest, "InvalidParameter", "The specified parameter %q is not valid (value %q): %s.", name, value, why)
}

// throttleMessages are the flow-control answers the simulator can send, by
// code. Throttling.User is the POP gateway's (API error center); the others
// are what Terraform's retry logic also handles (aliyun/terraform-provider-alicloud:
// NeedRetry retries Rejected.Throttling, and the SAE resource retries
// QPS Limit Exceeded). The reference pages give 400 for each.
var throttleMessages = map[string]string{
	"Throttling.User":     "Request was denied due to user flow control.",
	"Throttling":          "Request was denied due to request throttling.",
	"Rejected.Throttling": "Request was denied due to flow control.",
	"QPS Limit Exceeded":  "QPS Limit Exceeded.",
}

// ThrottleCodes lists the codes Faults.ThrottleCode accepts.
func ThrottleCodes() []string {
	return slices.Sorted(maps.Keys(throttleMessages))
}

func throttled(code string) *APIError {
	if code == "" {
		code = "Throttling.User"
	}
	return apiErr(http.StatusBadRequest, code, "%s", throttleMessages[code])
}

func serviceUnavailable() *APIError {
	return apiErr(http.StatusServiceUnavailable, "ServiceUnavailable", "The request has failed due to a temporary failure of the server.")
}

func internalError() *APIError {
	return apiErr(http.StatusInternalServerError, "InternalError", "The request processing has failed due to some unknown error, exception or failure.")
}
