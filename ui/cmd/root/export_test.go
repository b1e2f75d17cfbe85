package root

// BuildVersionOf exposes buildVersion to the tests.
var BuildVersionOf = buildVersion
