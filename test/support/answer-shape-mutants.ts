import { AnswerShape, Field, inline, integer, nullable, string } from '../../src/common/answer-shape';

// Fixtures of test/answer-shapes.spec.ts (issue 24): an answer class with a field the document does not
// name, and views that fill too little or too much, so the spec can show its checks fail on them.

export class MutantInner {
  @Field(integer()) a!: number;
  @Field(integer()) b!: number;
}

@AnswerShape({ name: 'Mutant' })
export class MutantAnswer {
  @Field(string()) kept!: string;
  @Field(nullable(inline(MutantInner))) nested!: MutantInner | null;
  /** declared on the class without @Field: the view fills it, the document does not name it */
  undocumented!: string;
}

/** Fills `nested.b` nowhere (left untyped on purpose: typed as MutantAnswer it would not compile). */
export const fillsTooLittle = () => ({ kept: 'k', nested: { a: 1 }, undocumented: 'u' });

/** Fills a field that is neither on the class nor in the document. */
export const fillsTooMuch = () => ({ kept: 'k', nested: { a: 1, b: 2 }, extra: true });
