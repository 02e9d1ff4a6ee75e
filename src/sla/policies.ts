import { Body, Controller, Get, Injectable, Module, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Answer } from '../http/openapi/answers';
import { IsBoolean, IsInt, Matches, Max, Min, ValidateIf } from 'class-validator';
import { Roles } from '../auth/roles';
import { Clock } from '../clock/clock';
import { isPresent } from '../common/validators';
import { PrismaService, Tx } from '../database/prisma.service';
import type { TicketKind } from '../generated/prisma/enums';
import { PoliciesRepository } from './policies.repository';
import { PolicyErrorCode, PolicyException } from './policy.exception';
import { Classification, parsePolicyId, PolicyView, resolvePolicy } from './policy.rules';
import type { PolicyAnswer } from './policy.view';
import { invalidInput } from '../common/domain.exception';

const MAX_MINUTES = 366 * 24 * 60;

export class PutPolicyDto {
  @ValidateIf(isPresent)
  @IsInt()
  @ApiProperty({ type: 'integer', maximum: MAX_MINUTES })
  @Min(1)
  @Max(MAX_MINUTES)
  slaMinutes?: number;

  @ValidateIf(isPresent)
  @IsInt()
  @ApiProperty({ type: 'integer', maximum: MAX_MINUTES })
  @Min(1)
  @Max(MAX_MINUTES)
  confirmationWindowMinutes?: number;

  /** null: never auto-transfer. */
  @ValidateIf((_, v) => v !== undefined && v !== null)
  @IsInt()
  @ApiProperty({ type: 'integer', maximum: MAX_MINUTES })
  @Min(1)
  @Max(MAX_MINUTES)
  autoTransferMinutes?: number | null;

  /** R-J2: the problem type of the Gangguan an auto-transfer creates; null: the Keluhan's own. */
  @ValidateIf((_, v) => v !== undefined && v !== null)
  @Matches(/^[A-Z0-9_]{1,64}$/)
  autoTransferProblemType?: string | null;

  @ValidateIf(isPresent)
  @IsBoolean()
  alwaysUrgent?: boolean;
}

const view = (p: PolicyView): PolicyAnswer => ({
  id: p.id,
  kind: p.kind,
  problemType: p.problemType,
  subType: p.subType,
  slaMinutes: p.slaMinutes,
  confirmationWindowMinutes: p.confirmationWindowMinutes,
  autoTransferMinutes: p.autoTransferMinutes,
  autoTransferProblemType: p.autoTransferProblemType,
  alwaysUrgent: p.alwaysUrgent,
});

@Injectable()
export class PoliciesService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly repository: PoliciesRepository,
    private readonly clock: Clock,
  ) {}

  async list(): Promise<PolicyView[]> {
    return (await this.repository.list(this.prisma)).map(view);
  }

  /** The policies of one kind, for a caller that resolves many tickets at once (R-J2's batch). */
  async ofKind(tx: Tx, kind: TicketKind): Promise<PolicyView[]> {
    return (await this.repository.ofKind(tx, kind)).map(view);
  }

  /**
   * The policy that matches a classification (R-S1), for a PUT that creates a policy and copies what it
   * omits. New tickets take theirs in SQL (tickets.repository.ts); test/tickets.e2e.spec.ts checks both.
   */
  private async resolve(classification: Classification, tx: Tx): Promise<PolicyView> {
    const candidates = await this.repository.ofKind(tx, classification.kind);
    const policy = resolvePolicy(candidates, classification);
    if (!policy) throw new PolicyException(PolicyErrorCode.NO_MATCHING_POLICY, `No policy matches ${classification.kind}`);
    return view(policy);
  }

  async put(id: string, dto: PutPolicyDto): Promise<PolicyView> {
    const classification = parsePolicyId(id);
    if (!classification) throw invalidInput('id', 'a policy id is <GANGGUAN|KELUHAN>.<problemType or *>.<subType or *>');
    return this.prisma.$transaction(async (tx) => {
      const existing = await this.repository.find(tx, id);
      // A new policy copies what it omits from the policy that matched this classification before.
      const base = existing ?? (await this.resolve(classification, tx));
      const fields = {
        slaMinutes: dto.slaMinutes ?? base.slaMinutes,
        confirmationWindowMinutes: dto.confirmationWindowMinutes ?? base.confirmationWindowMinutes,
        autoTransferMinutes: dto.autoTransferMinutes === undefined ? base.autoTransferMinutes : dto.autoTransferMinutes,
        autoTransferProblemType: dto.autoTransferProblemType === undefined ? base.autoTransferProblemType : dto.autoTransferProblemType,
        alwaysUrgent: dto.alwaysUrgent ?? base.alwaysUrgent,
        updatedAt: this.clock.now(),
      };
      const saved = await this.repository.put(tx, id, { id, ...classification, ...fields }, fields);
      return view(saved);
    });
  }
}

@ApiTags('policies')
@ApiBearerAuth()
@Controller('api/v1/policies')
export class PoliciesController {
  constructor(private readonly policies: PoliciesService) {}

  @ApiOperation({ operationId: 'listPolicies', summary: 'List the SLA policies' })
  @Answer(200, 'PolicyList', 'Every policy')
  @Roles('admin')
  @Get()
  async list(): Promise<{ items: PolicyView[] }> {
    return { items: await this.policies.list() };
  }

  @ApiOperation({ operationId: 'putPolicy', summary: 'Create or update a policy (applies to tickets created after)' })
  @Answer(200, 'Policy', 'The policy as stored')
  @ApiParam({ name: 'id', description: 'Policy id: <GANGGUAN|KELUHAN>.<problemType or *>.<subType or *>', schema: { type: 'string', pattern: '^(GANGGUAN|KELUHAN)\\.([A-Z0-9_]{1,64}|\\*)\\.([A-Z0-9_]{1,64}|\\*)$' } })
  @Roles('admin')
  @Put(':id')
  put(@Param('id') id: string, @Body() dto: PutPolicyDto): Promise<PolicyView> {
    return this.policies.put(id, dto);
  }
}

@Module({ controllers: [PoliciesController], providers: [PoliciesService, PoliciesRepository], exports: [PoliciesService] })
export class SlaModule {}
