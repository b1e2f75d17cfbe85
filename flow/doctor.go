package flow

// The categories of the checks only doctor runs: they look at the
// credentials, the ASM instance's API server and the links ASM built,
// which exist only after an apply.
const (
	// CategoryCredentials covers the credentials and region in use; it
	// runs first because every other check needs the cloud.
	CategoryCredentials Category = "credentials"
	// CategoryAPIServer covers the ASM instance's API server: reachable,
	// serving the ASMPvlConfig kind, and the live object's zone rule.
	CategoryAPIServer Category = "apiserver"
	// CategoryLinks covers each cluster's links as ASM reports them,
	// cross-checked with the PrivateLink APIs, the certificate SAN and the
	// cluster's state in the mesh.
	CategoryLinks Category = "links"
)
