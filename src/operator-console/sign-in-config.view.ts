import { AnswerShape, Field, nullable, string } from '../common/answer-shape';

/** R-U5: how the operator console signs people in; the document's ConsoleSignIn (issue 24). */
@AnswerShape({
  name: 'ConsoleSignIn',
  description: 'How the operator console signs people in (R-U5).',
  example: { issuer: 'http://localhost:3001', clientId: 'apkt-console', scope: 'openid profile', rolesClaim: 'role', unitClaim: 'unit' },
})
export class ConsoleSignIn {
  @Field(nullable(string('The OpenID Connect issuer the console signs people in at (OIDC_ISSUER; in development mode the embedded provider); null when none is configured')))
  issuer!: string | null;
  @Field(string('The console’s public client (OIDC_CONSOLE_CLIENT_ID)')) clientId!: string;
  @Field(string('The scope the console asks for (OIDC_CONSOLE_SCOPE)')) scope!: string;
  @Field(string('Dotted path of the roles claim in the access token (OIDC_ROLES_CLAIM)')) rolesClaim!: string;
  @Field(string('Dotted path of the unit claim in the access token (OIDC_UNIT_CLAIM)')) unitClaim!: string;
}
