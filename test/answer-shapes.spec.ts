import 'reflect-metadata';
import { dirname, join } from 'node:path';
import { getSchemaPath } from '@nestjs/swagger';
import * as ts from 'typescript';
import { type AnswerClass, objectSchema } from '../src/common/answer-shape';
import { ANSWER_MODELS } from '../src/openapi/answer-models';
import { MutantAnswer } from './support/answer-shape-mutants';

// Issue 24, "a contract that cannot drift": every answer shape is declared once, as a class
// (src/common/answer-shape.ts) that /docs-json is generated from and that its view is typed to return.
// This spec holds the three together: (a) every property the document names for an answer class is filled
// by its views, (b) every field a view fills, and every property the class declares, is in the document
// (nested objects included). The document's schemas are made here the way SwaggerModule makes them
// (extraModels); the classes' and views' fields come from the TypeScript checker, as the compiler sees
// them. The last block proves each check fails on a small example.

type Schema = { properties?: Record<string, Schema>; required?: string[]; nullable?: boolean; type?: string };

const ROOT = join(__dirname, '..');

// The schema factory SwaggerModule uses; the package exports only its index, so it is required by path.
const SWAGGER = dirname(require.resolve('@nestjs/swagger'));
const { SchemaObjectFactory } = require(join(SWAGGER, 'services/schema-object-factory')) as { SchemaObjectFactory: new (a: unknown, b: unknown) => { exploreModelSchema(model: Function, schemas: object): string } };
const { ModelPropertiesAccessor } = require(join(SWAGGER, 'services/model-properties-accessor')) as { ModelPropertiesAccessor: new () => unknown };
const { SwaggerTypesMapper } = require(join(SWAGGER, 'services/swagger-types-mapper')) as { SwaggerTypesMapper: new () => unknown };

/** Where a view is: [file, function (or `Class.method`, or a type) whose returned fields it fills]. */
type ViewRef = [string, string];

/**
 * Component schema → the class declared for it and the views that fill it. Every class of ANSWER_MODELS
 * is listed (a new answer class must say where it is); views are listed where a view function fills the
 * answer (the page and list wrappers are filled by services typed to return the class).
 */
const ANSWERS: Record<string, { declared: ViewRef; views: ViewRef[] }> = {
  Ticket: {
    declared: ['src/tickets/ticket.view.ts', 'TicketAnswer'],
    views: [
      ['src/tickets/ticket.view.ts', 'ticketView'],
      ['src/intake/app-problem-intake.service.ts', 'AppProblemAnswer'],
    ],
  },
  TicketPage: { declared: ['src/tickets/ticket.view.ts', 'TicketPageAnswer'], views: [] },
  Event: { declared: ['src/tickets/ticket.view.ts', 'EventAnswer'], views: [['src/tickets/ticket.view.ts', 'eventView']] },
  EventList: { declared: ['src/tickets/ticket.view.ts', 'EventListAnswer'], views: [] },
  Escalation: { declared: ['src/escalation/escalation.view.ts', 'EscalationAnswer'], views: [['src/escalation/escalation.view.ts', 'toEscalationView']] },
  EscalationPage: { declared: ['src/escalation/escalation.view.ts', 'EscalationPageAnswer'], views: [] },
  Order: { declared: ['src/listriqu/listriqu.view.ts', 'OrderAnswer'], views: [['src/listriqu/listriqu.view.ts', 'toOrderView']] },
  OrderPage: { declared: ['src/listriqu/listriqu.view.ts', 'OrderPageAnswer'], views: [] },
  Coverage: { declared: ['src/listriqu/listriqu.view.ts', 'CoverageAnswer'], views: [['src/listriqu/listriqu.view.ts', 'toCoverageView']] },
  CoverageList: { declared: ['src/listriqu/listriqu.view.ts', 'CoverageListAnswer'], views: [] },
  ItsmReference: { declared: ['src/itsm/itsm.view.ts', 'ItsmReferenceAnswer'], views: [['src/itsm/itsm.view.ts', 'toItsmReferenceView']] },
  ItsmReferencePage: { declared: ['src/itsm/itsm.view.ts', 'ItsmReferencePageAnswer'], views: [] },
  Unit: { declared: ['src/units/unit.view.ts', 'UnitAnswer'], views: [['src/units/unit.view.ts', 'unitView']] },
  UnitList: { declared: ['src/units/unit.view.ts', 'UnitListAnswer'], views: [] },
  Policy: { declared: ['src/sla/policy.view.ts', 'PolicyAnswer'], views: [['src/sla/policies.ts', 'view']] },
  PolicyList: { declared: ['src/sla/policy.view.ts', 'PolicyListAnswer'], views: [] },
  ReReportAnswer: { declared: ['src/intake/intake.view.ts', 'ReReportAnswer'], views: [] },
  ConfirmationAnswer: { declared: ['src/intake/intake.view.ts', 'ConfirmationAnswer'], views: [] },
  ImlCorrectionAnswer: { declared: ['src/intake/intake.view.ts', 'ImlCorrectionAnswer'], views: [] },
  Outage: { declared: ['src/outages/outage.view.ts', 'OutageAnswer'], views: [['src/outages/outage.view.ts', 'outageView']] },
  OutagePage: { declared: ['src/outages/outage.view.ts', 'OutagePageAnswer'], views: [] },
  OutageAttachAnswer: { declared: ['src/tickets/outage-tickets.service.ts', 'OutageAttachAnswer'], views: [] },
  UnitReport: { declared: ['src/reports/report.view.ts', 'UnitReport'], views: [['src/reports/report.view.ts', 'unitReport']] },
  UnitReportList: { declared: ['src/reports/report.view.ts', 'UnitReportListAnswer'], views: [] },
  IndicatorList: { declared: ['src/reports/report.view.ts', 'IndicatorListAnswer'], views: [] },
  DailyList: { declared: ['src/reports/report.view.ts', 'DailyListAnswer'], views: [] },
  TicketChangesPage: { declared: ['src/changes/changes.view.ts', 'ChangesPage'], views: [] },
  CustomerHistory: { declared: ['src/lookup/lookup.view.ts', 'HistoryAnswer'], views: [] },
  CustomerTicketList: { declared: ['src/lookup/lookup.view.ts', 'CustomerTicketList'], views: [] },
  ReReportPreview: { declared: ['src/lookup/lookup.view.ts', 'PreviewAnswer'], views: [['src/lookup/re-report-preview.service.ts', 'previewOf']] },
  Webhook: { declared: ['src/outbound/outbound.view.ts', 'WebhookAnswer'], views: [['src/outbound/outbound.view.ts', 'webhookView']] },
  WebhookWithSecret: { declared: ['src/outbound/outbound.view.ts', 'WebhookWithSecretAnswer'], views: [['src/outbound/outbound.view.ts', 'webhookWithSecretView']] },
  WebhookList: { declared: ['src/outbound/outbound.view.ts', 'WebhookListAnswer'], views: [] },
  OutboundMessage: { declared: ['src/outbound/outbound.view.ts', 'OutboundMessageAnswer'], views: [['src/outbound/outbound.view.ts', 'messageView']] },
  OutboundMessagePage: { declared: ['src/outbound/outbound.view.ts', 'OutboundMessagePageAnswer'], views: [] },
  ReplayAnswer: { declared: ['src/outbound/outbound.view.ts', 'ReplayAnswer'], views: [] },
  Health: { declared: ['src/health/health.view.ts', 'HealthAnswer'], views: [['src/health/health.view.ts', 'HEALTHY']] },
  ConsoleSignIn: { declared: ['src/operator-console/sign-in-config.view.ts', 'ConsoleSignIn'], views: [['src/operator-console/sign-in-config.controller.ts', 'ConsoleSignInController.signIn']] },
  FieldError: { declared: ['src/common/problem.view.ts', 'FieldError'], views: [] },
  Problem: { declared: ['src/common/problem.view.ts', 'ProblemBody'], views: [['src/common/problem.ts', 'Problem.body']] },
  PersonalDataExport: { declared: ['src/privacy/privacy.view.ts', 'PersonalDataExport'], views: [] },
  Erasure: { declared: ['src/privacy/privacy.view.ts', 'ErasureAnswer'], views: [['src/privacy/privacy.service.ts', 'PrivacyService.record']] },
  AccessLogPage: { declared: ['src/privacy/privacy.view.ts', 'AccessLogPage'], views: [['src/privacy/privacy.service.ts', 'PrivacyService.accessLogOf']] },
};

// ---- the document's side: the component schemas SwaggerModule makes of the classes -------------------

/** The component schemas of the classes, made by @nestjs/swagger's schema factory as SwaggerModule.createDocument does for extraModels. */
export function documentedSchemas(classes: readonly AnswerClass[]): Record<string, Schema> {
  const factory = new SchemaObjectFactory(new ModelPropertiesAccessor(), new SwaggerTypesMapper());
  const schemas: Record<string, Schema> = {};
  for (const model of classes) factory.exploreModelSchema(model as unknown as Function, schemas);
  return schemas;
}

// ---- the code's side: fields as the TypeScript checker sees them --------------------------------------

/** A type's fields as a tree: field → its own fields when it is an object (null and undefined left out; lists not opened). */
export type Fields = { [field: string]: Fields | null };

function fieldsOf(type: ts.Type, checker: ts.TypeChecker, depth = 0): Fields | null {
  const nonNull = checker.getNonNullableType(type);
  if (depth > 3 || checker.isArrayType(nonNull)) return null;
  if (nonNull.isUnion()) return nonNull.types.map((t) => fieldsOf(t, checker, depth)).reduce<Fields | null>((a, b) => (a && b ? union(a, b) : (a ?? b)), null);
  if (!(nonNull.flags & (ts.TypeFlags.Object | ts.TypeFlags.Intersection))) return null;
  if ((nonNull.symbol?.name ?? '') === 'Date') return null;
  const fields: Fields = {};
  for (const property of checker.getPropertiesOfType(nonNull)) fields[property.name] = fieldsOf(checker.getTypeOfSymbol(property), checker, depth + 1);
  return fields;
}

/** Both trees' fields. */
function union(a: Fields, b: Fields): Fields {
  const out: Fields = { ...a };
  for (const [field, sub] of Object.entries(b)) out[field] = out[field] && sub ? union(out[field] as Fields, sub) : (out[field] ?? sub);
  return out;
}

/** The return expressions of a function body, not those of functions nested in it. */
function returned(body: ts.Node): ts.Expression[] {
  if (!ts.isBlock(body)) return [body as ts.Expression];
  const found: ts.Expression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isReturnStatement(node) && node.expression) found.push(node.expression);
    else if (!ts.isFunctionLike(node)) ts.forEachChild(node, visit);
  };
  ts.forEachChild(body, visit);
  return found;
}

/** The node declaring `name` at the top of a file (`Class.method` for a method). */
function declaration(source: ts.SourceFile, name: string): ts.Node | undefined {
  const [outer, member] = name.split('.');
  for (const statement of source.statements) {
    if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) && statement.name?.text === outer) {
      if (!member) return statement;
      if (ts.isClassDeclaration(statement)) return statement.members.find((m) => m.name && ts.isIdentifier(m.name) && m.name.text === member);
    }
    if (ts.isVariableStatement(statement)) {
      const found = statement.declarationList.declarations.find((d) => ts.isIdentifier(d.name) && d.name.text === outer);
      if (found) return found;
    }
  }
  return undefined;
}

/** The fields a view fills: what its return statements give (awaited), or a value's or type's own fields. */
function filledBy(node: ts.Node, checker: ts.TypeChecker): Fields {
  let fn: ts.Node = node;
  if (ts.isVariableDeclaration(node) && node.initializer && (ts.isArrowFunction(node.initializer) || ts.isFunctionExpression(node.initializer))) fn = node.initializer;
  if ((ts.isFunctionLike(fn) && 'body' in fn && fn.body) as boolean) {
    const body = (fn as ts.FunctionLikeDeclaration).body as ts.Node;
    return returned(body)
      .map((e) => fieldsOf(checker.getAwaitedType(checker.getTypeAtLocation(e)) ?? checker.getTypeAtLocation(e), checker) ?? {})
      .reduce(union, {});
  }
  if (ts.isVariableDeclaration(node)) return fieldsOf(checker.getTypeAtLocation(node.initializer ?? node), checker) ?? {};
  const symbol = checker.getSymbolAtLocation((node as ts.DeclarationStatement).name as ts.Node) as ts.Symbol;
  return fieldsOf(checker.getDeclaredTypeOfSymbol(symbol), checker) ?? {};
}

export function readFields(refs: ViewRef[], declared: boolean): Fields[] {
  const files = [...new Set(refs.map(([file]) => join(ROOT, file)))];
  const config = ts.getParsedCommandLineOfConfigFile(join(ROOT, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  const program = ts.createProgram(files, config?.options ?? {});
  const checker = program.getTypeChecker();
  return refs.map(([file, name]) => {
    const source = program.getSourceFile(join(ROOT, file));
    const node = source && declaration(source, name);
    if (!node) throw new Error(`${file} declares no ${name}`);
    if (declared) {
      const symbol = checker.getSymbolAtLocation((node as ts.ClassDeclaration).name as ts.Node) as ts.Symbol;
      return fieldsOf(checker.getDeclaredTypeOfSymbol(symbol), checker) ?? {};
    }
    return filledBy(node, checker);
  });
}

/** Where the document and some fields differ: `path: documented, <who> does not fill it` and the reverse (nested objects included). */
export function shapeMismatches(schema: Schema, fields: Fields, who: string, path: string): string[] {
  const documented = schema.properties ?? {};
  const out: string[] = [];
  for (const field of Object.keys(documented)) {
    if (!(field in fields)) out.push(`${path}.${field}: documented, ${who} does not fill it`);
    else if (documented[field].properties && fields[field]) out.push(...shapeMismatches(documented[field], fields[field] as Fields, who, `${path}.${field}`));
  }
  for (const field of Object.keys(fields)) if (!(field in documented)) out.push(`${path}.${field}: in ${who}, not in the document`);
  return out;
}

const NAMES = Object.keys(ANSWERS);
const DOCUMENTED = documentedSchemas(ANSWER_MODELS);
const DECLARED = new Map(NAMES.map((name, i) => [name, readFields(NAMES.map((n) => ANSWERS[n].declared), true)[i]]));
const VIEWED = (() => {
  const refs = NAMES.flatMap((name) => ANSWERS[name].views.map((v) => [name, v] as const));
  const fields = readFields(refs.map(([, v]) => v), false);
  const out = new Map<string, Fields[]>();
  refs.forEach(([name], i) => out.set(name, [...(out.get(name) ?? []), fields[i]]));
  return out;
})();

describe('issue 24: every answer shape is declared once, and the document, its class and its views agree', () => {
  it('issue 24: the document has a component schema for every answer class, and this spec knows each', () => {
    expect(Object.keys(DOCUMENTED).sort()).toEqual([...NAMES].sort());
  });

  it.each(NAMES)('issue 24: %s — the class declares no field the document does not name (and the reverse)', (name) => {
    expect(shapeMismatches(DOCUMENTED[name], DECLARED.get(name) as Fields, `class ${ANSWERS[name].declared[1]}`, name)).toEqual([]);
  });

  it.each(NAMES.filter((name) => ANSWERS[name].views.length))('issue 24: %s — its views fill every documented field and no other', (name) => {
    const filled = (VIEWED.get(name) ?? []).reduce(union, {});
    expect(shapeMismatches(DOCUMENTED[name], filled, 'no view', name).map((m) => m.replace('no view does not fill', 'no view fills'))).toEqual([]);
  });

  it.each(ANSWER_MODELS.map((model) => [getSchemaPath(model).split('/').pop(), model] as const))('issue 24: %s — answer-shape reads the class as swagger does', (name, model) => {
    const { type, required, properties } = DOCUMENTED[name as string] as Schema;
    expect(JSON.parse(JSON.stringify(objectSchema(model)))).toEqual(JSON.parse(JSON.stringify({ type, required: required ?? [], properties })));
  });
});

describe('issue 24: the shape checks catch what they look for', () => {
  const documented = documentedSchemas([MutantAnswer]).Mutant;
  const [declared, tooLittle, tooMuch] = [
    ...readFields([['test/support/answer-shape-mutants.ts', 'MutantAnswer']], true),
    ...readFields([['test/support/answer-shape-mutants.ts', 'fillsTooLittle'], ['test/support/answer-shape-mutants.ts', 'fillsTooMuch']], false),
  ];

  it('issue 24: a class field without @Field is not in the document, and the check says so', () => {
    expect(Object.keys(documented.properties ?? {})).toEqual(['kept', 'nested']);
    expect(shapeMismatches(documented, declared, 'class MutantAnswer', 'Mutant')).toEqual(['Mutant.undocumented: in class MutantAnswer, not in the document']);
  });

  it('issue 24: a documented field that no view fills (nested too) fails', () => {
    expect(shapeMismatches(documented, tooLittle, 'the view', 'Mutant')).toEqual([
      'Mutant.nested.b: documented, the view does not fill it',
      'Mutant.undocumented: in the view, not in the document',
    ]);
  });

  it('issue 24: a field a view fills that the document does not name fails', () => {
    expect(shapeMismatches(documented, tooMuch, 'the view', 'Mutant')).toEqual(['Mutant.extra: in the view, not in the document']);
  });

  it('issue 24: views are read from their return statements, not from nested functions', () => {
    expect(Object.keys(tooMuch).sort()).toEqual(['extra', 'kept', 'nested']);
  });
});
