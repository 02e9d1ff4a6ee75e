import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { Caller } from './roles';

export const CurrentCaller = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Caller => ctx.switchToHttp().getRequest<{ caller: Caller }>().caller,
);
