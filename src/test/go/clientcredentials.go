// Clavis as a new user meets it from Go: the stock golang.org/x/oauth2/clientcredentials client with its defaults
// (AuthStyleAutoDetect: the secret by HTTP Basic first, then in the body). One token per run, as one process of a
// user's program gets it.
//
// usage: clientcredentials TOKEN_URL CLIENT_ID CLIENT_SECRET SCOPE
//
// Prints "ok token_type=... expires_in=... client_id=... scope=..." (the claims read from the token, unverified:
// clavis.interop.GoOauth2InteropTest introspects it), or "FAILED <error>" and exits 1.
package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"

	"golang.org/x/oauth2/clientcredentials"
)

func main() {
	if len(os.Args) != 5 {
		fmt.Fprintln(os.Stderr, "usage: clientcredentials TOKEN_URL CLIENT_ID CLIENT_SECRET SCOPE")
		os.Exit(2)
	}
	config := clientcredentials.Config{ClientID: os.Args[2], ClientSecret: os.Args[3], TokenURL: os.Args[1], Scopes: []string{os.Args[4]}}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	token, err := config.Token(ctx)
	if err != nil {
		fmt.Println("FAILED", strings.ReplaceAll(err.Error(), "\n", " "))
		os.Exit(1)
	}
	parts := strings.Split(token.AccessToken, ".")
	if len(parts) != 3 {
		fmt.Println("FAILED the access token is not a JWT")
		os.Exit(1)
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	var claims struct {
		ClientID string `json:"client_id"`
		Scope    string `json:"scope"`
	}
	if err == nil {
		err = json.Unmarshal(payload, &claims)
	}
	if err != nil {
		fmt.Println("FAILED the access token's claims cannot be read:", err)
		os.Exit(1)
	}
	fmt.Printf("ok token_type=%s expires_in=%d client_id=%s scope=%s\n", token.TokenType,
		int(time.Until(token.Expiry).Round(time.Minute).Seconds()), claims.ClientID, claims.Scope)
	fmt.Println("access_token=" + token.AccessToken)
}
